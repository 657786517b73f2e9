/**
 * Every limit of the API in one place (documented in worker/README.md). Requests past a limit get a
 * JSON error before any expensive work: the body is cut off at MAX_BODY_BYTES, image dimensions are
 * read from the header and checked before decoding.
 */

/** Largest request body: a phone photo as the phone writes it (2-5 MB at 12 MP; 48 MP ones about 10). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Longest image side accepted, in pixels (an 8000x6000 photo from a 48 MP phone camera fits). */
export const MAX_IMAGE_SIDE = 8192;

/**
 * Most pixels of a JPEG: 48 MP. JPEGs larger than MAX_IMAGE_PIXELS are decoded at a reduced scale
 * (1/2, 1/4 or 1/8, by the inverse DCT itself) to at most LARGE_JPEG_SIDE on their longest side, so
 * the full-size picture never exists in memory: a 12 MP photo needs about 21 MB of decoder memory.
 */
export const MAX_JPEG_PIXELS = 48_000_000;

/** Longest side a large JPEG is decoded to: a number 10% of a photo's height stays about 150 px tall. */
export const LARGE_JPEG_SIDE = 2048;

/**
 * Most pixels of a PNG or WebP, and of a JPEG decoded at full size (width x height): 2048x2048, or a
 * 4:3 photo of 2304x1728. An isolate has 128 MB: a decoded image takes 4 bytes per pixel (17 MB at
 * the limit) in the decoder's WebAssembly memory and again as the copy handed back, and the PNG path
 * holds the inflated rows besides. Larger JPEGs are decoded at a reduced scale (MAX_JPEG_PIXELS).
 */
export const MAX_IMAGE_PIXELS = 2048 * 2048;

/**
 * Most pixels of a CMYK or YCCK JPEG (1024x1024). MozJPEG cannot give those as RGBA, and jpeg-js,
 * which reads them instead, holds every coefficient block as 32-bit integers: about 28 MB per
 * megapixel and 0.4 s of CPU here; at MAX_IMAGE_PIXELS it would need more than the isolate has.
 */
export const MAX_CMYK_JPEG_PIXELS = 1024 * 1024;

/**
 * Most scans a JPEG may have: baseline files have one, progressive ones about ten. Thousands of tiny
 * scans make a small file cost minutes of decoding (a CPU bomb); such files get 400 invalid_image.
 */
export const MAX_JPEG_SCANS = 100;

/**
 * Longest wait for a request body to arrive, in milliseconds: a slow or endless upload (5 MB at
 * 150 KB/s still fits) gets 408 request_timeout instead of holding the request open. Waiting costs no
 * CPU, but it holds a connection. BODY_TIMEOUT_SECONDS in wrangler.toml [vars] overrides it.
 */
export const BODY_READ_TIMEOUT_MS = 30_000;

/** Content types of images the API decodes. */
export const SUPPORTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
