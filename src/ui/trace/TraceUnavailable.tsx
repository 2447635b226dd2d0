// `t` on a node it cannot trace from: says why; any key closes.
import React from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { sanitizeLine } from '../../core/sanitize.js';

export function TraceUnavailable({ message, onClose }: { message: string; onClose(): void }) {
  const { isRawModeSupported } = useStdin();
  useInput(() => onClose(), { isActive: Boolean(isRawModeSupported) });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text>cannot trace from here: {sanitizeLine(message)}</Text>
      <Text dimColor>any key: close</Text>
    </Box>
  );
}
