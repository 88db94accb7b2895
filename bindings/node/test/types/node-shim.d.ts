// The few Node.js types index.d.ts uses, for checking it where @types/node is not
// installed (it is not a Debian package). Only what the declarations name.
declare class Buffer extends Uint8Array {}
declare namespace NodeJS {
  type Signals = 'SIGTERM' | 'SIGINT' | 'SIGKILL' | 'SIGHUP';
}
declare module 'node:stream' {
  export class Writable {
    write(chunk: unknown, callback?: (error?: Error | null) => void): boolean;
    end(): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
declare function require(id: string): unknown;
