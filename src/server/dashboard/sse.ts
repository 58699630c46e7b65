// Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html): an
// event name, one data line per line of the payload, a blank line to end the message.

export interface SseMessage {
  event: string;
  data: unknown;
  id?: string;
}

export function encodeSse(message: SseMessage): string {
  if (/[\r\n]/.test(message.event)) throw new Error('SSE event name must be one line');
  const lines = [`event: ${message.event}`];
  if (message.id !== undefined) lines.push(`id: ${message.id.replace(/[\r\n]/g, '')}`);
  for (const line of JSON.stringify(message.data).split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** A comment line: keeps proxies from closing an idle stream; browsers ignore it. */
export function sseHeartbeat(): string {
  return ': keep-alive\n\n';
}
