// Small enhancements; every page works without this file.
(function () {
  "use strict";

  // Selects marked data-autosubmit send their form on change; their button is then redundant.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form && select.form.querySelector("[data-autosubmit-button]");
    if (button) {
      button.hidden = true;
    }
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // Forms that create something are sent once: a second tap on a slow phone would create a
  // second cooperative or product. The button says it is busy until the next page.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-busy", "true");
      });
    });
  });

  // The catalog filters start folded on phones and open on a desktop.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 960px)").matches) {
    filters.open = true;
  }

  // Gallery: show which thumbnail's photo is in view.
  var strip = document.querySelector(".gallery__main");
  var thumbs = document.querySelectorAll("[data-gallery-thumb]");
  if (strip && thumbs.length && "IntersectionObserver" in window) {
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) {
            return;
          }
          thumbs.forEach(function (thumb) {
            var current = thumb.getAttribute("href") === "#" + entry.target.id;
            if (current) {
              thumb.setAttribute("aria-current", "true");
            } else {
              thumb.removeAttribute("aria-current");
            }
          });
        });
      },
      { root: strip, threshold: 0.6 }
    );
    strip.querySelectorAll(".gallery__slide").forEach(function (slide) {
      observer.observe(slide);
    });
    // Bring the photo into the strip without jumping the page to the anchor (right to left too).
    thumbs.forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        var slide = document.getElementById(thumb.getAttribute("href").slice(1));
        if (slide) {
          event.preventDefault();
          slide.scrollIntoView({ behavior: "smooth", block: "nearest", inline: "start" });
        }
      });
    });
  }
})();
