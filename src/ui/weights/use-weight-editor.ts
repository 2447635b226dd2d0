// The weight editor's thin binding: keys go to the pure reducer (use-weight-editor-state.ts), and the effects it
// returns run through the callbacks given, their outcomes coming back as events.
import { useRef, useState } from 'react';
import { useInput, useStdin } from 'ink';
import type { ContextResult, PreparedEdit, Progress } from '../../edit/prepare.js';
import {
  initWeightEditor, weightEditorStep, type WeightEditorEffect, type WeightEditorEvent, type WeightEditorSetup, type WeightEditorState,
} from './use-weight-editor-state.js';

export interface WeightEditorCallbacks {
  /** Dry run then write every edit; returns results per context. */
  onApply(preps: PreparedEdit[], progress: Progress): Promise<ContextResult[]>;
  /** The last applied edit reversed (or why not). Without it `u` says undo is unavailable. */
  onPrepareUndo?(): Promise<PreparedEdit[] | string>;
  /** Closed without applying. */
  onCancel(): void;
  /** Closed after an apply or undo ran. Defaults to onCancel. */
  onDone?(results: ContextResult[]): void;
}

/** The editor's state for rendering. `isActive` defaults to stdin raw-mode support (useInput throws without a TTY). */
export function useWeightEditor(setup: WeightEditorSetup, callbacks: WeightEditorCallbacks, isActive?: boolean): WeightEditorState {
  const { isRawModeSupported } = useStdin();
  const [state, setState] = useState(() => initWeightEditor(setup));
  const current = useRef(state);

  const dispatch = (event: WeightEditorEvent): void => {
    const [next, effect] = weightEditorStep(current.current, event);
    current.current = next;
    setState(next);
    void run(effect);
  };

  const run = async (effect: WeightEditorEffect): Promise<void> => {
    switch (effect.type) {
      case 'close':
        if (effect.results) (callbacks.onDone ?? callbacks.onCancel)(effect.results);
        else callbacks.onCancel();
        return;
      case 'apply':
        try {
          dispatch({ type: 'applied', results: await callbacks.onApply(effect.preps, (context, stage) => dispatch({ type: 'progress', context, stage })) });
        } catch (err) {
          dispatch({ type: 'apply-failed', message: (err as Error).message });
        }
        return;
      case 'prepare-undo':
        if (!callbacks.onPrepareUndo) return dispatch({ type: 'undo-prepared', result: 'undo is not available here' });
        try {
          dispatch({ type: 'undo-prepared', result: await callbacks.onPrepareUndo() });
        } catch (err) {
          dispatch({ type: 'undo-prepared', result: (err as Error).message });
        }
        return;
      case 'none':
    }
  };

  useInput((input, key) => dispatch({ type: 'key', input, key }), { isActive: isActive ?? Boolean(isRawModeSupported) });
  return state;
}
