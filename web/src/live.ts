import { token } from './api';

export interface ChangeNotice {
  sources: string[];
  types: string[];
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * The server's change stream (`/api/v1/stream`, server-sent events). EventSource cannot send an
 * Authorization header, so the token rides in `?token=` on this one URL. The browser reconnects
 * by itself after a network error; after a refusal (closed stream) we retry every 5 s.
 */
export function connectLive(
  onChange: (n: ChangeNotice) => void,
  onState: (s: LiveState) => void,
): () => void {
  let es: EventSource | undefined;
  let retry: number | undefined;
  let stopped = false;
  const open = () => {
    const t = token.get();
    es = new EventSource(`/api/v1/stream${t ? `?token=${encodeURIComponent(t)}` : ''}`);
    onState('connecting');
    es.addEventListener('ready', () => onState('live'));
    es.addEventListener('change', (e) => {
      try {
        onChange(JSON.parse((e as MessageEvent<string>).data) as ChangeNotice);
      } catch {
        onChange({ sources: [], types: [] });
      }
    });
    es.onerror = () => {
      onState('offline');
      if (es?.readyState === EventSource.CLOSED && !stopped) {
        es.close();
        retry = window.setTimeout(open, 5000);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    window.clearTimeout(retry);
    es?.close();
  };
}
