// A worker thread's entry: registers tsx so the thread can run the TypeScript module it is given.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
