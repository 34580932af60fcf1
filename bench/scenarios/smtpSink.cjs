// The local SMTP server of the notifications scenario, in a process of its own (as a relay is):
// a real SMTP server (npm smtp-server, as the platform's mail catcher) that accepts every message
// and only counts them — messages, bytes and distinct recipients, so that the scenario can check
// that every resident got exactly one. Started with child_process.fork; tells its port, then
// answers 'count' and 'stop' over IPC.
const { SMTPServer } = require('smtp-server');

let messages = 0;
let bytes = 0;
const recipients = new Set();
let repeats = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  banner: 'KOV bench SMTP sink',
  size: 20 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', (c) => {
      bytes += c.length;
    });
    stream.on('end', () => {
      messages += 1;
      for (const r of session.envelope.rcptTo) {
        const a = r.address.toLowerCase();
        if (recipients.has(a)) repeats += 1;
        else recipients.add(a);
      }
      callback(null, `Queued as ${messages}`);
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('message', (m) => {
  if (m === 'count') {
    const cpu = process.cpuUsage();
    process.send({
      messages,
      bytes,
      recipients: recipients.size,
      repeats,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    });
  }
  if (m === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
