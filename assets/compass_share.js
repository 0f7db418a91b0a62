/* Copy buttons of the "Link for a donor" page (web/share_form.py): a button with
   data-copy="<input id>" copies that field's text and says so in #share-made-status. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) {
      return;
    }
    const field = document.getElementById(button.getAttribute("data-copy"));
    const status = document.getElementById("share-made-status");
    if (!field) {
      return;
    }
    const done = function () {
      if (status) {
        status.textContent = button.getAttribute("data-copied") || "";
      }
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
