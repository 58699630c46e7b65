// The dashboard: a header (token, namespace, live state), then the list or one object's page, chosen
// by the URL's hash (#/canaries/NAMESPACE/NAME). Rows change as the operator pushes cache changes.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, getToken, readStream, setToken } from './api.js';
import { CanaryPage } from './canary-page.js';
import { GitSyncPage } from './gitsync-page.js';
import { html } from './html.js';
import { ImagePolicyPage } from './image-policy-page.js';
import { ListView } from './list-view.js';

function useHashRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean);
}

/** The overview with one cache change applied: a row replaced, added or removed. */
function applyChange(overview, change) {
  const section = overview?.[change.kind];
  if (!section?.rows) return overview;
  const rows = section.rows.filter((row) => row.namespace !== change.namespace || row.name !== change.name);
  if (change.action === 'upsert') rows.push(change.row);
  rows.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return { ...overview, [change.kind]: { rows } };
}

function TokenForm({ token, onToken }) {
  const [draft, setDraft] = useState(token);
  const save = (event) => {
    event.preventDefault();
    onToken(draft.trim());
  };
  return html`<form class="token" onSubmit=${save}>
    <input
      type="password"
      name="token"
      placeholder="bearer token (kubectl create token ...)"
      value=${draft}
      onInput=${(event) => setDraft(event.currentTarget.value)}
    />
    <button type="submit">Use token</button>
    ${token ? html`<button type="button" onClick=${() => (setDraft(''), onToken(''))}>Forget</button>` : null}
  </form>`;
}

function App() {
  const route = useHashRoute();
  const [token, setTokenState] = useState(getToken());
  const [namespace, setNamespace] = useState(new URLSearchParams(location.search).get('namespace') ?? '');
  const [overview, setOverview] = useState(undefined);
  const [error, setError] = useState('');
  const [live, setLive] = useState('connecting');
  const [change, setChange] = useState(undefined);

  const useToken = (value) => {
    setToken(value);
    setTokenState(value);
  };
  const query = namespace ? `?namespace=${encodeURIComponent(namespace)}` : '';

  // A first picture, also for a caller the stream refuses (it says why per kind). The stream's hello
  // brings a newer one, taken as it subscribes: an answer arriving after that one is not used.
  useEffect(() => {
    setError('');
    setOverview(undefined);
    getJson(`overview${query}`).then(
      (first) => setOverview((current) => current ?? first),
      (failure) => setError(failure.message),
    );
  }, [token, namespace]);

  useEffect(() => {
    const controller = new AbortController();
    let retry;
    const connect = () => {
      setLive('connecting');
      readStream(
        query,
        (message) => {
          if (message.event === 'hello') {
            setLive('live');
            if (message.data.overview) setOverview(message.data.overview);
          }
          if (message.event !== 'change') return;
          setOverview((current) => applyChange(current, message.data));
          setChange(message.data);
        },
        controller.signal,
      )
        .catch((failure) => failure.name !== 'AbortError' && setLive(`offline: ${failure.message}`))
        .finally(() => {
          if (!controller.signal.aborted) retry = setTimeout(connect, 2000);
        });
    };
    connect();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [token, namespace]);

  const [kind, objectNamespace, name] = route;
  let page;
  if (kind === 'canaries' && name) page = html`<${CanaryPage} namespace=${objectNamespace} name=${name} change=${change} token=${token} />`;
  else if (kind === 'gitsyncs' && name)
    page = html`<${GitSyncPage} namespace=${objectNamespace} name=${name} change=${change} token=${token} />`;
  else if (kind === 'imagepolicies' && name)
    page = html`<${ImagePolicyPage} namespace=${objectNamespace} name=${name} change=${change} token=${token} />`;
  else page = html`<${ListView} overview=${overview} />`;

  return html`<header>
      <a class="brand" href="#/">Wren</a>
      <label
        >namespace
        <select name="namespace" value=${namespace} onChange=${(event) => setNamespace(event.currentTarget.value)}>
          <option value="">all</option>
          ${[...new Set([...(overview?.namespaces ?? []), ...(namespace ? [namespace] : [])])].map(
            (item) => html`<option value=${item}>${item}</option>`,
          )}
        </select>
      </label>
      <span class="live" data-testid="live">${live}</span>
      <${TokenForm} token=${token} onToken=${useToken} />
    </header>
    ${error ? html`<p class="error" data-testid="error">${error}</p>` : null}
    <main>${page}</main>`;
}

render(html`<${App} />`, document.getElementById('app'));
