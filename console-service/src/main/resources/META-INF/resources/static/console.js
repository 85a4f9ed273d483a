// Tributary console: the only script. No framework; served from 'self' (strict CSP, no inline code).
(function () {
  "use strict";

  // One-click local sign-in: /signin#token=... fills the form; the fragment never reaches a server.
  function signInFromFragment() {
    var form = document.getElementById("signin");
    var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    if (!form || !match) return;
    history.replaceState(null, "", window.location.pathname + window.location.search);
    form.elements.token.value = decodeURIComponent(match[1]);
    form.submit();
  }

  // A run's page refreshes its live part every 2 s until the run has ended and nothing more came
  // for a while (the server says "settled"): what a run triggers next arrives after its steps end.
  function followLiveRun() {
    var run = document.getElementById("run");
    if (!run || run.dataset.terminal === "true") return;
    var url = run.dataset.live;
    var timer = setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var open = Array.prototype.map.call(run.querySelectorAll("details[open]"), function (d) {
            return d.querySelector("summary").textContent;
          });
          run.replaceChildren.apply(run, Array.prototype.slice.call(doc.body.childNodes));
          run.querySelectorAll("details").forEach(function (d) {
            if (open.indexOf(d.querySelector("summary").textContent) >= 0) d.open = true;
          });
          var head = run.querySelector(".run-head");
          if (head && head.dataset.settled === "true") {
            run.dataset.terminal = "true";
            clearInterval(timer);
          }
        })
        .catch(function () { /* the next tick tries again */ });
    }, 2000);
  }

  // Actions ask first: a form with data-confirm submits only when the user agrees. One listener on
  // the document, so that the forms a live refresh brings in ask too.
  function confirmActions() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        e.preventDefault();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    signInFromFragment();
    followLiveRun();
    confirmActions();
  });
})();
