import { ApiError, get } from './api';
import { h, replace } from './dom';

/** Whether the API takes this token (or none: demo mode). Other failures are thrown. */
export async function accepted(t: string | null): Promise<boolean> {
  try {
    await get('/sources/health', {}, { tokenOverride: t ?? '' });
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
}

/** Asks for the API token; resolves with one the API accepts. */
export function askToken(root: HTMLElement, message?: string): Promise<string> {
  return new Promise((resolve) => {
    const input = h('input', {
      type: 'password',
      name: 'token',
      autocomplete: 'current-password',
      placeholder: 'API token',
      required: true,
      'aria-label': 'API token',
    });
    const error = h('p', { class: 'gate-error', role: 'alert' }, message ?? '');
    const button = h('button', { type: 'submit' }, 'Open dashboard');
    const form = h(
      'form',
      {
        class: 'gate',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const t = input.value.trim();
          button.disabled = true;
          error.textContent = '';
          try {
            if (await accepted(t)) resolve(t);
            else error.textContent = 'That token is not valid.';
          } catch (err) {
            error.textContent = `The server did not answer: ${(err as Error).message}`;
          } finally {
            button.disabled = false;
          }
        },
      },
      h('div', { class: 'brand' }, 'Leadhouse'),
      h('h1', {}, 'Sign in to the dashboard'),
      h(
        'p',
        { class: 'muted' },
        'Enter the API token of this server (LEADHOUSE_API_TOKEN). It is kept for this browser tab only.',
      ),
      input,
      button,
      error,
    );
    replace(root, h('div', { class: 'gate-wrap' }, form));
    input.focus();
  });
}
