// The `s` overlay: observed traffic beside the intended weights, per rule and destination: weight bar, observed share,
// rate, 5xx rate and a sparkline of the share over the last samples.
import React from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import type { RuleTraffic } from '../../mesh/traffic.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { ruleTitle } from '../../format/traffic.js';

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value (0..1). */
export function sparkline(values: number[], width = 8): string {
  return values.slice(-width).map((v) => BARS[Math.max(0, Math.min(BARS.length - 1, Math.round(v * (BARS.length - 1))))]).join('');
}

export function weightBar(percent: number, width = 10): string {
  const n = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return '█'.repeat(n) + '░'.repeat(width - n);
}

const pct = (v: number | undefined) => (v === undefined ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`);

export interface TrafficViewProps {
  title: string;
  /** undefined while sampling. */
  traffic?: RuleTraffic[];
  series?: Map<RuleTraffic['rule'], number[][]>;
  status?: string;
  onClose(): void;
}

export function TrafficView({ title, traffic, series, status, onClose }: TrafficViewProps) {
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => { if (key.escape || input === 'q' || input === 's') onClose(); }, { isActive: Boolean(isRawModeSupported) });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>traffic · {sanitizeLine(title)}</Text>
      {status ? <Text color="yellow">{sanitizeLine(status)}</Text> : null}
      {(traffic ?? []).map((t, ti) => {
        const unit = t.unit === 'requests' ? 'rps' : 'cps';
        const counted = t.proxies.filter((p) => !p.problem && p.count > 0).map((p) => p.proxy);
        const width = Math.max(...t.destinations.map((d) => d.label.length), 4);
        return (
          <Box key={ti} flexDirection="column" marginTop={ti ? 1 : 0}>
            <Text>{sanitizeLine(`${ruleTitle(t)}  match: ${t.rule.match}`)}  <Text dimColor>{t.rate.toFixed(1)} {unit} in all</Text></Text>
            {t.proxies.length === 0 ? <Text dimColor>  no loaded proxy routes this rule</Text> : null}
            {t.destinations.map((d, di) => (
              <Text key={di}>
                {'  '}{sanitizeLine(d.label).padEnd(width)} {String(d.weight).padStart(3)}% {weightBar(d.weight)}  observed {pct(d.share)} {sparkline(series?.get(t.rule)?.[di] ?? []).padEnd(8)} {d.rate.toFixed(1).padStart(6)} {unit}
                {t.unit === 'requests' ? <Text color={d.errorRate && d.errorRate >= 0.05 ? 'red' : undefined}>  5xx {pct(d.errorRate)}</Text> : null}
              </Text>
            ))}
            {t.proxies.length ? <Text dimColor>  counted by: {counted.length ? sanitizeLine(counted.join(', ')) : 'none (no samples, or no traffic in the window)'}</Text> : null}
          </Box>
        );
      })}
      <Text dimColor>s/Esc: close</Text>
    </Box>
  );
}
