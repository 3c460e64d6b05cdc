/* Behaviour the pages need, in a file of its own so that the Content Security
   Policy can forbid every inline script and event handler. */
"use strict";

// <button data-print> prints the page (dashboards, rankings).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// An htmx form inside [data-swap-errors] shows the page's 400 answer (the
// form again, with its messages) instead of ignoring it as an error.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400 && event.detail.elt.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
