// One Canary: phase, weight, steps, the run plotted over time, each check against its threshold with
// its query, conditions, events, and promote / abort / retry.
import { useEffect, useState } from 'preact/hooks';
import { RunChart } from './chart.js';
import { Actions, Conditions, Events, useDetail } from './detail.js';
import { ago, html } from './html.js';

/** Points from the checks status holds (newest few per metric), with their own times. */
function pointsFromChecks(checks) {
  return checks
    .filter((check) => check.kind === 'metric' && check.value !== undefined)
    .map((check) => ({ time: Date.parse(check.time), values: { [check.name]: check.value } }));
}

function usePoints(namespace, name, detail, change) {
  const [points, setPoints] = useState([]);
  useEffect(() => setPoints([]), [namespace, name]);
  useEffect(() => {
    if (detail) setPoints((current) => (current.length === 0 ? [...pointsFromChecks(detail.checks), detail.point] : current));
  }, [detail]);
  useEffect(() => {
    if (change?.kind === 'canaries' && change.namespace === namespace && change.name === name && change.point) {
      setPoints((current) => [...current, change.point]);
    }
  }, [change]);
  return points;
}

export function CanaryPage({ namespace, name, change, token }) {
  const { detail, error } = useDetail('canaries', namespace, name, change, token);
  const points = usePoints(namespace, name, detail, change);
  if (error) return html`<p class="error" data-testid="error">${error}</p>`;
  if (!detail) return html`<p>loading…</p>`;
  return html`<article>
    <h2>Canary ${namespace}/${name}</h2>
    <dl class="facts">
      <dt>Phase</dt>
      <dd data-testid="canary-phase" class=${detail.phase}>${detail.phase}</dd>
      <dt>Weight</dt>
      <dd data-testid="canary-weight">${detail.weight}%</dd>
      <dt>Step</dt>
      <dd>${detail.step || '-'}</dd>
      <dt>Target</dt>
      <dd>${detail.target}</dd>
      <dt>Failed checks</dt>
      <dd>${detail.failedChecks}</dd>
      <dt>Message</dt>
      <dd data-testid="canary-message">${detail.message}${detail.pausedFor ? ` (waiting: ${detail.pausedFor})` : ''}</dd>
    </dl>
    <${Actions}
      base=${`canaries/${namespace}/${name}`}
      actions=${[
        ['promote', 'Promote'],
        ['abort', 'Abort'],
        ['retry', 'Retry'],
      ]}
    />
    <section>
      <h3>The run</h3>
      <${RunChart} points=${points} />
      <p class="note">Weight and check values received while this page is open, plus the recent checks the Canary's status keeps.</p>
    </section>
    <section>
      <h3>Steps</h3>
      <ol class="steps">
        ${detail.steps.map((step) => html`<li class=${step.state}>${step.description}</li>`)}
      </ol>
    </section>
    <section>
      <h3>Checks</h3>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Check</th>
            <th>Value</th>
            <th>Threshold</th>
            <th>Result</th>
            <th>Query</th>
          </tr>
        </thead>
        <tbody>
          ${detail.checks.map(
            (check) =>
              html`<tr>
                <td>${ago(check.time)}</td>
                <td>${check.name}</td>
                <td>${check.value ?? ''}</td>
                <td>${check.threshold ?? ''}</td>
                <td class=${check.passed ? 'True' : 'False'}>${check.passed ? 'passed' : (check.reason ?? 'failed')}</td>
                <td><code>${check.query ?? check.message ?? ''}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <${Conditions} conditions=${detail.conditions} />
    <${Events} kind="canaries" namespace=${namespace} name=${name} change=${change} token=${token} />
  </article>`;
}
