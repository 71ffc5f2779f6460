/**
 * A local SMTP server for tests (the smtp-server package on 127.0.0.1, no TLS, no auth) that keeps
 * every message it accepts; `reject` makes it refuse some recipients with a permanent 550.
 */
import { SMTPServer } from "smtp-server";

/** One accepted message: envelope and raw data. */
export interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** Starts it on `port`; close it with `server.close(cb)`. */
export function startSmtp(
  port: number,
  mails: Mail[],
  opts: { reject?: (address: string) => boolean } = {},
): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (!opts.reject?.(address.address)) return cb();
      cb(Object.assign(new Error("5.1.1 mailbox unavailable"), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (d: Buffer) => {
        data += d.toString("utf8");
      });
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        cb();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** Stops it (a no-op for undefined). */
export function stopSmtp(server: SMTPServer | undefined): Promise<void> {
  return new Promise((r) => (server ? server.close(() => r()) : r()));
}
