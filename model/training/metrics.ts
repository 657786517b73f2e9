/** Classification metrics: confusion matrix, per-class precision/recall/F1, and its SVG picture. */

export interface ClassReport {
  digit: number;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** matrix[actual][predicted] counts. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes = 10): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) matrix[actual[i]!]![predicted[i]!]!++;
  return matrix;
}

export function classReports(matrix: number[][]): ClassReport[] {
  return matrix.map((row, digit) => {
    const truePositives = row[digit]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + r[digit]!, 0);
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { digit, precision, recall, f1, support };
  });
}

export function accuracyFromMatrix(matrix: number[][]): number {
  let correct = 0,
    total = 0;
  matrix.forEach((row, i) =>
    row.forEach((n, j) => {
      total += n;
      if (i === j) correct += n;
    }),
  );
  return correct / total;
}

/** A heat-map SVG of the confusion matrix (errors emphasised: the diagonal has its own colour). */
export function confusionSvg(matrix: number[][], title: string): string {
  const cell = 44,
    margin = 70,
    size = margin + cell * 10 + 20;
  const maxOff = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 30}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${size / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${title}</text>`,
    `<text x="${margin + cell * 5}" y="${size + 22}" text-anchor="middle">predicted</text>`,
    `<text transform="translate(16 ${margin + cell * 5}) rotate(-90)" text-anchor="middle">actual</text>`,
  ];
  matrix.forEach((row, i) => {
    parts.push(`<text x="${margin - 10}" y="${margin + i * cell + cell / 2 + 4}" text-anchor="end">${i}</text>`);
    parts.push(`<text x="${margin + i * cell + cell / 2}" y="${margin - 8}" text-anchor="middle">${i}</text>`);
    row.forEach((n, j) => {
      const fill = i === j ? '#2f855a' : n === 0 ? '#f7fafc' : `rgba(197, 48, 48, ${0.15 + 0.85 * (n / maxOff)})`;
      const text = i === j ? '#fff' : n / maxOff > 0.5 ? '#fff' : '#1a202c';
      parts.push(`<rect x="${margin + j * cell}" y="${margin + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"/>`);
      parts.push(
        `<text x="${margin + j * cell + cell / 2 - 1}" y="${margin + i * cell + cell / 2 + 3}" text-anchor="middle" fill="${text}">${n}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
