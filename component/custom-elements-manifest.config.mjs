/** `npm run manifest`: the custom elements manifest (component/custom-elements.json) for IDEs, docs and Storybook. */

/** Internal reactive state (`_name`, `state: true`) and private members are not API: keep them out. */
function publicApiOnly() {
  return {
    name: 'public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !a.fieldName?.startsWith('_'));
          if (declaration.members)
            declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && !m.name.startsWith('_'));
        }
      }
    },
  };
}

export default {
  globs: ['component/src/index.ts', 'component/src/digit-recognizer.ts', 'component/src/events.ts', 'component/src/errors.ts'],
  outdir: 'component',
  litelement: true,
  // The root package.json belongs to the whole project; the npm build's package.json points at the manifest instead.
  packagejson: false,
  plugins: [publicApiOnly()],
};
