// Talks to the operator: JSON requests and the live stream, with the bearer token the viewer gave
// (kept in sessionStorage: gone when the tab closes).
const TOKEN_KEY = 'wren.dashboard.token';

export const getToken = () => sessionStorage.getItem(TOKEN_KEY) ?? '';
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers() {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText);
  return body;
}

export const getJson = (path) => fetch(`api/${path}`, { headers: headers() }).then(answer);

export const postAction = (path) => fetch(`api/${path}`, { method: 'POST', headers: headers() }).then(answer);

/** Reads the Server-Sent Events of api/stream until `signal` aborts; fetch (not EventSource) so the token travels in a header. */
export async function readStream(query, onMessage, signal) {
  const response = await fetch(`api/stream${query}`, { headers: headers(), signal });
  if (!response.ok) await answer(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = parseFrame(frame);
      if (message) onMessage(message);
    }
  }
}

function parseFrame(frame) {
  let event = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  return data.length > 0 ? { event, data: JSON.parse(data.join('\n')) } : undefined;
}
