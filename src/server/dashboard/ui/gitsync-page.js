// One GitSync: its revision, sync and health, each applied object (drifted or not), what the last
// sync changed, its history and the canary releases it started; "Sync now".
import { Actions, Conditions, Events, useDetail } from './detail.js';
import { ago, html, short } from './html.js';

export function GitSyncPage({ namespace, name, change, token }) {
  const { detail, error } = useDetail('gitsyncs', namespace, name, change, token);
  if (error) return html`<p class="error" data-testid="error">${error}</p>`;
  if (!detail) return html`<p>loading…</p>`;
  const diff = detail.diff;
  return html`<article>
    <h2>GitSync ${namespace}/${name}</h2>
    <dl class="facts">
      <dt>Source</dt>
      <dd>${detail.url} ${detail.ref} ${detail.path}</dd>
      <dt>Revision</dt>
      <dd data-testid="gitsync-revision">${short(detail.revision)}${detail.rollbackTo ? ` (held at ${short(detail.rollbackTo)})` : ''}</dd>
      <dt>Sync</dt>
      <dd class=${detail.sync}>${detail.sync}</dd>
      <dt>Health</dt>
      <dd class=${detail.health}>${detail.health}</dd>
      <dt>Last sync</dt>
      <dd>${ago(detail.lastSyncTime)}</dd>
      ${
        diff
          ? html`<dt>Last diff</dt>
              <dd>${diff.created} created, ${diff.updated} updated, ${diff.deleted} deleted, ${diff.unchanged} unchanged</dd>`
          : null
      }
    </dl>
    <${Actions} base=${`gitsyncs/${namespace}/${name}`} actions=${[['sync', 'Sync now']]} />
    <section>
      <h3>Objects</h3>
      <table>
        <tbody>
          ${detail.objects.map(
            (object) =>
              html`<tr>
                <td>${object.kind}</td>
                <td>${object.namespace ? `${object.namespace}/` : ''}${object.name}</td>
                <td class=${object.drifted ? 'False' : 'True'}>${object.drifted ? 'drifted' : 'in sync'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        diff?.drifted?.length
          ? html`<ul class="drift">
              ${diff.drifted.map((line) => html`<li>${line}</li>`)}
            </ul>`
          : null
      }
    </section>
    <section>
      <h3>History</h3>
      <table>
        <tbody>
          ${detail.history.map(
            (record) =>
              html`<tr>
                <td>${ago(record.time)}</td>
                <td><code>${short(record.revision)}</code></td>
                <td>${record.trigger ?? ''}</td>
                <td class=${record.result === 'Succeeded' ? 'True' : 'False'}>${record.result}</td>
                <td>${record.message ?? ''}</td>
                <td>
                  ${
                    record.result === 'Succeeded' && record.revision !== detail.revision
                      ? html`<${Actions}
                          base=${`gitsyncs/${namespace}/${name}`}
                          actions=${[[`rollback?revision=${record.revision}`, 'Roll back here']]}
                        />`
                      : null
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${
      detail.releases.length
        ? html`<section>
            <h3>Releases</h3>
            <table>
              <tbody>
                ${detail.releases.map(
                  (release) =>
                    html`<tr>
                      <td><a href=${`#/canaries/${release.namespace ?? namespace}/${release.canary}`}>${release.canary}</a></td>
                      <td><code>${short(release.revision)}</code></td>
                      <td>${release.phase}</td>
                      <td>${release.message ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : null
    }
    <${Conditions} conditions=${detail.conditions} />
    <${Events} kind="gitsyncs" namespace=${namespace} name=${name} change=${change} token=${token} />
  </article>`;
}
