import { h } from '../dom';
import { formatPercent, formatValue, type Unit } from '../format';

export interface GoalInfo {
  target: number | null;
  /** actual ÷ target, from the API. */
  value: number | null;
}

export interface KpiCardProps {
  /** Metric name: the test hooks and drill-downs key on it. */
  metric: string;
  label: string;
  unit: Unit;
  value: number | null;
  previous?: { value: number | null; label: string } | undefined;
  goal?: GoalInfo | undefined;
  onClick?: (() => void) | undefined;
}

/**
 * A KPI: the value, then how it compares with the previous period (the previous value and an
 * arrow — the API gives both values, no arithmetic here) and with its goal (the API's progress).
 */
export function kpiCard(p: KpiCardProps): HTMLElement {
  const trend =
    p.previous && p.value !== null && p.previous.value !== null
      ? p.value > p.previous.value
        ? 'up'
        : p.value < p.previous.value
          ? 'down'
          : 'flat'
      : 'none';
  const arrow = { up: '▲', down: '▼', flat: '■', none: '' }[trend];
  return h(
    'div',
    {
      class: `kpi${p.onClick ? ' clickable' : ''}`,
      'data-kpi': p.metric,
      'data-value': p.value === null ? 'null' : String(p.value),
      ...(p.onClick ? { onclick: p.onClick, role: 'button', tabindex: 0 } : {}),
    },
    h('div', { class: 'kpi-label' }, p.label),
    h('div', { class: 'kpi-value' }, formatValue(p.value, p.unit)),
    p.previous
      ? h(
          'div',
          { class: `kpi-compare ${trend}`, 'data-previous': String(p.previous.value) },
          arrow ? h('span', { class: 'arrow' }, arrow) : null,
          ` vs ${formatValue(p.previous.value, p.unit)} `,
          h('span', { class: 'muted' }, `in ${p.previous.label}`),
        )
      : null,
    goalLine(p),
  );
}

function goalLine(p: KpiCardProps): HTMLElement {
  if (!p.goal || p.goal.target === null)
    return h('div', { class: 'kpi-goal muted' }, p.goal === undefined ? '' : 'no goal set');
  const ratio = p.goal.value;
  return h(
    'div',
    { class: 'kpi-goal', 'data-goal-target': String(p.goal.target), 'data-goal-value': String(ratio) },
    h(
      'div',
      { class: 'bar' },
      h('span', { style: `width:${Math.min(100, Math.max(0, (ratio ?? 0) * 100))}%` }),
    ),
    h('span', {}, `${formatPercent(ratio)} of goal ${formatValue(p.goal.target, p.unit)}`),
  );
}
