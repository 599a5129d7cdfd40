// Customs papers: the Print button opens the browser's print dialog. Without this file the
// button stays hidden and the page's PDF link does the same job.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
