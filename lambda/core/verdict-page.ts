// The verdict endpoint's pages: static HTML with no script, and the headers that keep them inert; pure text out.

/**
 * Nothing may load or run but the page's own inline style, and its one form may post only back to the endpoint.
 * `frame-ancestors 'none'` keeps the button from being framed and clicked for the reader by another site.
 */
export const VERDICT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const VERDICT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': VERDICT_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  // The token is in the link: no other site learns it from a Referer header.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

export interface VerdictPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

function page(status: number, title: string, bodyHtml: string): VerdictPage {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${bodyHtml}
</body></html>
`;
  return { status, headers: { ...VERDICT_PAGE_HEADERS }, body };
}

/** The page a link opens: names the entity and the alert, one button that posts the token. Records nothing. */
export function confirmPage(entityName: string, alertId: string, token: string): VerdictPage {
  const name = escapeHtml(entityName);
  return page(
    200,
    `Not about ${entityName}?`,
    `<p>Alert <code>${escapeHtml(alertId)}</code> was sent because it matched <strong>${name}</strong>.</p>
<p>If the story is about someone or something else, press the button. It is recorded for the owner of the watchlist
to review; the watchlist itself is not changed.</p>
<form method="post"><input type="hidden" name="t" value="${escapeHtml(token)}">
<button type="submit">This alert is not about ${name}</button></form>`,
  );
}

/** After a POST: recorded now, or already recorded by an earlier press. */
export function recordedPage(entityName: string, alreadyRecorded: boolean): VerdictPage {
  return page(
    200,
    alreadyRecorded ? 'Already recorded' : 'Thank you',
    alreadyRecorded
      ? `<p>This alert was already marked as not about ${escapeHtml(entityName)}. Nothing more was recorded.</p>`
      : `<p>Recorded: this alert was not about ${escapeHtml(entityName)}.</p>`,
  );
}

/** Why a link is refused, said plainly; nothing is recorded on any of these. */
export type RefusalReason = 'malformed' | 'bad-signature' | 'expired' | 'unknown-entity' | 'method';

const REFUSALS: Record<RefusalReason, { status: number; text: string }> = {
  malformed: { status: 400, text: 'This link is incomplete or damaged. Open it again from the alert email.' },
  'bad-signature': { status: 403, text: 'This link was not issued by this news-alerts service.' },
  expired: { status: 410, text: 'This link has expired. Links in alerts are valid for 30 days.' },
  'unknown-entity': { status: 404, text: 'This link names an entity the watchlist no longer tracks.' },
  method: { status: 405, text: 'Only opening the link and pressing its button are supported.' },
};

export function refusedPage(reason: RefusalReason): VerdictPage {
  const { status, text } = REFUSALS[reason];
  const result = page(status, 'Link not accepted', `<p>${escapeHtml(text)}</p><p>Nothing was recorded.</p>`);
  if (reason === 'method') result.headers.allow = 'GET, POST';
  return result;
}
