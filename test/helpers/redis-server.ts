/** Tests start their private redis-server with the same module `leakstop demo` uses. */
export * from "../../src/redis/local-server.js";
