// Judges one measured value against a metric's accepted range or conditions. No data is never a
// pass: an empty result or NaN fails with reason NoData and names the query that came back empty.
import type { CheckResult } from '../canary/analysis-seam.ts';
import { evaluateCondition } from './expressions.ts';

export interface MetricRule {
  name: string;
  threshold?: number;
  thresholdRange?: { min?: number; max?: number };
  successCondition?: string;
  failureCondition?: string;
}

export function thresholdText(rule: MetricRule): string {
  const parts: string[] = [];
  const min = rule.thresholdRange?.min;
  const max = rule.thresholdRange?.max ?? rule.threshold;
  if (min !== undefined) parts.push(`>= ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  if (rule.successCondition) parts.push(`success: ${rule.successCondition}`);
  if (rule.failureCondition) parts.push(`failure: ${rule.failureCondition}`);
  return parts.join(', ');
}

export function judgeValue(rule: MetricRule, value: number | undefined, query: string): CheckResult {
  const base = { name: rule.name, kind: 'metric' as const, threshold: thresholdText(rule), query };
  if (value === undefined || Number.isNaN(value)) {
    return {
      ...base,
      passed: false,
      reason: 'NoData',
      message: `no data for "${rule.name}": the query returned nothing; is the canary receiving traffic?`,
    };
  }
  const measured = { ...base, value };
  const min = rule.thresholdRange?.min;
  const max = rule.thresholdRange?.max ?? rule.threshold;
  if (min !== undefined && value < min) {
    return { ...measured, passed: false, reason: 'BelowThreshold', message: `${rule.name} ${round(value)} < ${min}` };
  }
  if (max !== undefined && value > max) {
    return { ...measured, passed: false, reason: 'AboveThreshold', message: `${rule.name} ${round(value)} > ${max}` };
  }
  if (rule.failureCondition && evaluateCondition(rule.failureCondition, value)) {
    return {
      ...measured,
      passed: false,
      reason: 'FailureCondition',
      message: `${rule.name} ${round(value)} meets the failure condition ${rule.failureCondition}`,
    };
  }
  if (rule.successCondition && !evaluateCondition(rule.successCondition, value)) {
    return {
      ...measured,
      passed: false,
      reason: 'ConditionNotMet',
      message: `${rule.name} ${round(value)} does not meet ${rule.successCondition}`,
    };
  }
  return { ...measured, passed: true, message: `${rule.name} ${round(value)}` };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
