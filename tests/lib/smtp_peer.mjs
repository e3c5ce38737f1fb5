// A minimal SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT) that keeps every message it receives: the peer the server's mailer
// talks to in tests, over a real socket.
import { createServer } from 'node:net';

export async function startSmtpPeer() {
  const messages = [];
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let envelope = { from: '', to: [], data: '' };
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 smtp-peer ready');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(envelope);
            envelope = { from: '', to: [], data: '' };
            reply('250 queued');
          } else {
            envelope.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-smtp-peer\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') reply('250 smtp-peer');
        else if (verb === 'MAIL') { envelope.from = /<(.*)>/.exec(line)?.[1] ?? ''; reply('250 ok'); }
        else if (verb === 'RCPT') { envelope.to.push(/<(.*)>/.exec(line)?.[1] ?? ''); reply('250 ok'); }
        else if (verb === 'DATA') { inData = true; reply('354 end with .'); }
        else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') { reply('221 bye'); socket.end(); }
        else reply('502 not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.address().port}`,
    messages,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
