/**
 * Imported first by the history child (history-child-main.ts), so that it runs before anything else
 * loads: the child starts with HISTORY_NODE_FLAGS (history-child.ts), which size its main thread's
 * young generation when V8 starts, and then sets the flag back to V8's default. V8 takes a code cache
 * (node's built-ins', the scan workers' bundle's) only under the flags it was made with: kept, the
 * flag made every built-in the child and its worker threads load compile from source (as
 * bin/leakstop.js's history child does; the workers' young generation is set by resourceLimits).
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--max-semi-space-size=0");
