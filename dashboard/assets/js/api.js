// The dashboard reads statistics only through the Stats API, like any
// client: the session cookie authenticates, and the session's CSRF token
// goes in a header that no other site can set.

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.field = field || '';
  }
}

export class Api {
  // share is the secret of a shared link the page was opened with: it
  // authorises reading that one site.
  constructor(csrf, share) {
    this.share = share || '';
    this.headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' };
    if (this.share) this.headers['X-Shukei-Share'] = this.share;
  }

  async request(url, init) {
    const res = await fetch(url, { ...init, headers: this.headers, credentials: 'same-origin', cache: 'no-store' });
    if (res.status === 401 && !this.share) {
      // The session ended: sign in again and come back here.
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      throw new ApiError(401, 'signed out');
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, body.error, body.field);
    return body;
  }

  query(q, signal) {
    return this.request('/api/v2/query', { method: 'POST', body: JSON.stringify(q), signal });
  }

  realtime(site, signal) {
    return this.request(`/api/v1/stats/realtime/visitors?site_id=${encodeURIComponent(site)}`, { method: 'GET', signal });
  }
}
