// One ImagePolicy: what the registry offers, what was chosen and written back, and its quarantines.
import { Conditions, Events, useDetail } from './detail.js';
import { ago, html, short } from './html.js';

export function ImagePolicyPage({ namespace, name, change, token }) {
  const { detail, error } = useDetail('imagepolicies', namespace, name, change, token);
  if (error) return html`<p class="error" data-testid="error">${error}</p>`;
  if (!detail) return html`<p>loading…</p>`;
  const writeBack = detail.lastWriteBack;
  return html`<article>
    <h2>ImagePolicy ${namespace}/${name}</h2>
    <dl class="facts">
      <dt>Image</dt>
      <dd>${detail.image}</dd>
      <dt>Latest</dt>
      <dd>${detail.latest || '-'}</dd>
      <dt>Chosen</dt>
      <dd>${detail.chosen || '-'}</dd>
      <dt>Tags seen</dt>
      <dd>${detail.tagsSeen ?? '-'}</dd>
      <dt>Last write-back</dt>
      <dd>
        ${writeBack ? `${short(writeBack.commit)} ${writeBack.branch ?? ''} ${(writeBack.files ?? []).join(', ')} ${ago(writeBack.time)}` : '-'}
      </dd>
    </dl>
    ${
      detail.skippedTags.length
        ? html`<section>
            <h3>Skipped tags</h3>
            <ul>
              ${detail.skippedTags.map((tag) => html`<li>${tag}</li>`)}
            </ul>
          </section>`
        : null
    }
    <section>
      <h3>Quarantines</h3>
      ${
        detail.quarantines.length === 0
          ? html`<p class="empty">none</p>`
          : html`<table>
              <tbody>
                ${detail.quarantines.map(
                  (entry) =>
                    html`<tr>
                      <td>${entry.tag}</td>
                      <td>${entry.canary}</td>
                      <td>${entry.reason}</td>
                      <td>${ago(entry.time)}</td>
                      <td>${entry.liftedAt ? `lifted ${ago(entry.liftedAt)}` : 'in force'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <${Conditions} conditions=${detail.conditions} />
    <${Events} kind="imagepolicies" namespace=${namespace} name=${name} change=${change} token=${token} />
  </article>`;
}
