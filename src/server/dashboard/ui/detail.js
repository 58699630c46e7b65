// What every object page shares: loading it (again whenever the stream says it changed), its recent
// events, its conditions, and action buttons that show the operator's answer or refusal.
import { useEffect, useState } from 'preact/hooks';
import { getJson, postAction } from './api.js';
import { ago, html } from './html.js';

/** The object's detail JSON, reloaded from the operator's cache when a change for it arrives. */
export function useDetail(kind, namespace, name, change, token) {
  const [state, setState] = useState({});
  const mine = change && change.kind === kind && change.namespace === namespace && change.name === name;
  useEffect(() => {
    getJson(`${kind}/${namespace}/${name}`).then(
      (detail) => setState({ detail }),
      (failure) => setState({ error: failure.message }),
    );
  }, [kind, namespace, name, token, mine ? change : undefined]);
  return state;
}

/** The object's recent events, read again when its phase or the viewer's token changes. */
export function Events({ kind, namespace, name, change, token }) {
  const [{ events, error }, setState] = useState({});
  useEffect(() => {
    getJson(`${kind}/${namespace}/${name}/events`).then(
      (events) => setState({ events }),
      (failure) => setState({ error: failure.message }),
    );
  }, [kind, namespace, name, change?.row?.phase, token]);
  if (error)
    return html`<section data-testid="events">
      <h3>Events</h3>
      <p class="denied">${error}</p>
    </section>`;
  if (!events) return null;
  return html`<section data-testid="events">
    <h3>Events</h3>
    <table>
      <tbody>
        ${events.map(
          (event) =>
            html`<tr class=${event.type}>
              <td>${ago(event.time)}</td>
              <td>${event.type}</td>
              <td>${event.reason}</td>
              <td>${event.message}${event.count > 1 ? ` (×${event.count})` : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function Conditions({ conditions }) {
  if (!conditions?.length) return null;
  return html`<section>
    <h3>Conditions</h3>
    <table>
      <tbody>
        ${conditions.map(
          (condition) =>
            html`<tr>
              <td>${condition.type}</td>
              <td class=${condition.status}>${condition.status}</td>
              <td>${condition.reason ?? ''}</td>
              <td>${condition.message ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** Buttons that POST an action; the answer (or refusal, with its reason) shows beside them. */
export function Actions({ base, actions }) {
  const [result, setResult] = useState(undefined);
  const run = (action) => {
    if (!confirm(`${action} ${base}?`)) return;
    postAction(`${base}/${action}`).then(
      (answer) => setResult({ ok: true, text: answer.message }),
      (failure) => setResult({ ok: false, text: `refused (${failure.status}): ${failure.message}` }),
    );
  };
  return html`<div class="actions">
    ${actions.map(([action, label]) => html`<button type="button" data-action=${action} onClick=${() => run(action)}>${label}</button>`)}
    ${result ? html`<span class=${result.ok ? 'ok' : 'error'} data-testid="action-result">${result.text}</span>` : null}
  </div>`;
}
