/** Worker entry point (wrangler.toml `main`). */
import { createApp } from './app.js';

export default createApp();
