// The list page: one table per kind, or why the token may not list it.
import { html, short } from './html.js';

const COLUMNS = {
  canaries: [
    ['phase', 'Phase'],
    ['weight', 'Weight', (row) => `${row.weight}%`],
    ['step', 'Step'],
    ['failedChecks', 'Failed checks'],
    ['message', 'Message'],
  ],
  gitsyncs: [
    ['revision', 'Revision', (row) => short(row.revision)],
    ['sync', 'Sync'],
    ['health', 'Health'],
    ['ready', 'Ready'],
    ['message', 'Message'],
  ],
  imagepolicies: [
    ['image', 'Image'],
    ['latest', 'Latest'],
    ['chosen', 'Chosen'],
    ['quarantined', 'Quarantined'],
    ['ready', 'Ready'],
  ],
};
const TITLES = { canaries: 'Canaries', gitsyncs: 'GitSyncs', imagepolicies: 'ImagePolicies' };

function Section({ kind, section }) {
  if (!section) return null;
  const columns = COLUMNS[kind];
  const body = section.denied
    ? html`<p class="denied" data-testid=${`${kind}-denied`}>${section.denied}</p>`
    : section.rows.length === 0
      ? html`<p class="empty">none</p>`
      : html`<table>
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Name</th>
              ${columns.map(([, title]) => html`<th>${title}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${section.rows.map(
              (row) =>
                html`<tr data-testid=${`${kind}-row-${row.namespace}-${row.name}`}>
                  <td>${row.namespace}</td>
                  <td><a href=${`#/${kind}/${row.namespace}/${row.name}`}>${row.name}</a></td>
                  ${columns.map(([key, , format]) => html`<td class=${`${key} ${String(row[key])}`}>${format ? format(row) : row[key]}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<section>
    <h2>${TITLES[kind]}</h2>
    ${body}
  </section>`;
}

export function ListView({ overview }) {
  if (!overview) return html`<p>loading…</p>`;
  return html`${Object.keys(COLUMNS).map((kind) => html`<${Section} kind=${kind} section=${overview[kind]} />`)}`;
}
