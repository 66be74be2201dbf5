// Shared by ratings.js and comments.js: the review page is the same for every
// reader (so it can be cached), and these forms fetch their per-reader state
// and send themselves as JSON requests.
window.MarqueeForms = (function () {
  "use strict";

  const JSON_HEADERS = { Accept: "application/json" };

  // Two scripts may ask for a CSRF token at the same moment on a first visit,
  // and only the last cookie set wins: read the cookie itself when sending.
  function freshCsrfToken(form) {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    const input = form.querySelector('[name="csrfmiddlewaretoken"]');
    if (match) input.value = decodeURIComponent(match[1]);
  }

  function getState(url) {
    return fetch(url, { credentials: "same-origin", headers: JSON_HEADERS }).then(function (response) {
      if (!response.ok) throw new Error("state " + response.status);
      return response.json();
    });
  }

  // Resolves to {ok, data}; rejects only when the server could not be reached
  // or did not answer in JSON.
  function submit(form) {
    freshCsrfToken(form);
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: JSON_HEADERS,
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  return { getState: getState, submit: submit };
})();
