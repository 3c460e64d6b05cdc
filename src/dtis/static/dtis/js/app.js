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

// The guide's table of contents starts folded on phones (open on desktops,
// and everywhere without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const toc = document.querySelector("[data-guide-toc]");
  if (toc && window.matchMedia("(max-width: 900px)").matches) {
    toc.open = false;
  }
});

// The drop-down menus (<details class="help-menu"> and the Administration
// menu, <details class="menu-more">) close on Escape, giving the focus back
// to their button, and on a click anywhere else.
document.addEventListener("keydown", (event) => {
  const menu = event.key === "Escape" && document.querySelector("details.help-menu[open], details.menu-more[open]");
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.help-menu[open], details.menu-more[open]").forEach((menu) => {
    if (!menu.contains(event.target)) {
      menu.open = false;
    }
  });
});

// The first-login tour (dtis.onboarding, driver.js in vendor/driver/). The
// home page carries its steps in <script type="application/json" id="tour-data">
// only while the person has not seen their main role's tour. Closing it in any
// way (Xong, Bỏ qua, Escape, a click beside it) tells the server it was
// seen; the help menu's "Xem lại giới thiệu nhanh" starts it again.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("tour-data");
  if (!source || !window.driver || !window.driver.js) {
    return;
  }
  const tour = JSON.parse(source.textContent);
  // driver.js puts titles, texts and button labels in with innerHTML.
  const escape = (text) => {
    const box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  };
  let reported = false;
  const markSeen = () => {
    if (reported) {
      return;
    }
    reported = true;
    fetch(tour.seenUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true, // survives the person leaving the page right away
      headers: { "X-CSRFToken": tour.csrf },
    });
  };
  const labels = tour.labels;
  const guide = window.driver.js.driver({
    steps: tour.steps.map((step) => ({
      // A step whose element is not on the page is shown in the middle.
      element: step.element && document.querySelector(step.element) ? step.element : undefined,
      popover: { title: escape(step.title), description: escape(step.text) },
    })),
    popoverClass: "dtis-tour",
    animate: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    showProgress: true,
    progressText: escape(labels.progress),
    nextBtnText: escape(labels.next),
    prevBtnText: escape(labels.prev),
    doneBtnText: escape(labels.done),
    // No × in the corner: "Bỏ qua" says the same in words (Escape works too).
    showButtons: ["next", "previous"],
    onPopoverRender: (popover) => {
      if (!guide.isLastStep()) {
        const skip = document.createElement("button");
        skip.type = "button";
        skip.className = "driver-popover-footer-btn dtis-tour-skip";
        skip.textContent = labels.skip;
        skip.addEventListener("click", () => {
          markSeen();
          guide.destroy();
        });
        popover.footerButtons.prepend(skip);
      }
      // driver.js then focuses the popover's first button: start on "Tiếp"
      // instead, so that Enter walks on rather than skipping.
      window.requestAnimationFrame(() => popover.nextButton.focus());
    },
    // Every way driver.js itself closes the tour (Xong, Escape, the overlay)
    // passes here, even between two steps, when it would skip onDestroyed.
    onDestroyStarted: () => {
      markSeen();
      guide.destroy();
    },
  });
  guide.drive();
});

// After a save or an evidence change the server sends the person back to the
// indicator's card (#ind-CODE). The message about it is moved into that card,
// so it is read where the person is, not at the top of a long report. A link
// or citation the server refused comes back with what was typed (kept for
// the one round trip in sessionStorage, forms marked data-keep).
document.addEventListener("DOMContentLoaded", () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const card = id.startsWith("ind-") ? document.getElementById(id) : null;
  const list = document.querySelector("main > ul.messages");
  if (card && list) {
    const heading = card.querySelector("h3");
    if (heading) {
      heading.after(list);
      list.classList.add("in-card");
      card.scrollIntoView();
    }
  }
  const refused = Boolean(card && list && list.querySelector(".message-error"));
  document.querySelectorAll("form[data-keep]").forEach((form) => {
    const key = `dtis-draft:${form.getAttribute("action")}:${form.dataset.keep}`;
    const saved = window.sessionStorage.getItem(key);
    if (saved !== null) {
      window.sessionStorage.removeItem(key);
      if (refused && card.contains(form)) {
        Object.entries(JSON.parse(saved)).forEach(([name, value]) => {
          const field = form.elements.namedItem(name);
          if (field && "value" in field) {
            field.value = value;
          }
        });
        const details = form.closest("details");
        if (details) {
          details.open = true;
        }
      }
    }
    form.addEventListener("submit", () => {
      const values = {};
      Array.from(form.elements).forEach((field) => {
        if (field.name && !["hidden", "file", "submit"].includes(field.type)
            && field.name !== "csrfmiddlewaretoken") {
          values[field.name] = field.value;
        }
      });
      window.sessionStorage.setItem(key, JSON.stringify(values));
    });
  });
});
