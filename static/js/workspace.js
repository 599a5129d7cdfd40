// The product form of the seller workspace: the HS code picker and the ways of selling.
// Every page works without this file: the server uses the craft's usual HS code when the
// field is left empty, and shows every field.
(function () {
  "use strict";

  var SEARCH_DELAY_MS = 250;
  var LABEL_CHARS = 140;

  // Only the field of the chosen way of selling shows (quantity, or days to make it).
  function setUpKinds(form) {
    var radios = form.querySelectorAll('input[name="kind"]');
    var fields = form.querySelectorAll("[data-for-kind]");
    if (!radios.length || !fields.length) {
      return;
    }
    function update() {
      var checked = form.querySelector('input[name="kind"]:checked');
      var kind = checked ? checked.value : "";
      fields.forEach(function (field) {
        // A field with an error stays in sight whatever is chosen.
        var invalid = field.classList.contains("form-field--invalid");
        field.hidden = field.getAttribute("data-for-kind") !== kind && !invalid;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function digitsOf(text) {
    return text.replace(/[\s.]/g, "");
  }

  // Suggestions as the seller types (code or words, any language), and the craft's usual
  // code proposed when the craft changes, unless the seller typed a code of their own.
  function setUpHsPicker(input) {
    var url = input.getAttribute("data-search-url");
    var list = document.getElementById(input.getAttribute("list"));
    var description = document.getElementById("hs-code-description");
    var mapScript = document.getElementById(input.getAttribute("data-craft-codes"));
    var craftCodes = mapScript ? JSON.parse(mapScript.textContent) : {};
    var craft = input.form && input.form.querySelector('select[name="craft"]');
    var proposed = craft ? craftCodes[craft.value] || "" : "";
    var known = {}; // code digits -> description, from the answers so far
    var timer = null;
    var controller = null;

    if (!url || !list) {
      return;
    }
    if (description && input.value) {
      known[digitsOf(input.value)] = description.textContent;
    }

    function showDescription() {
      if (!description) {
        return;
      }
      var text = known[digitsOf(input.value)];
      description.textContent = text === undefined ? "" : text;
    }

    function search() {
      if (controller) {
        controller.abort();
      }
      controller = "AbortController" in window ? new AbortController() : null;
      var params = new URLSearchParams({
        q: input.value.trim().slice(0, 100),
        craft: craft ? craft.value : "",
      });
      fetch(url + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          var options = data.results.map(function (result) {
            known[result.code] = result.description;
            var option = document.createElement("option");
            option.value = result.dotted;
            option.label =
              result.description.length > LABEL_CHARS
                ? result.description.slice(0, LABEL_CHARS - 1) + "…"
                : result.description;
            return option;
          });
          list.replaceChildren.apply(list, options);
          showDescription();
        })
        .catch(function () {
          // Offline, or a newer search took over: the field still takes a typed code.
        });
    }

    input.addEventListener("input", function () {
      showDescription();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, SEARCH_DELAY_MS);
    });
    input.addEventListener("focus", function () {
      if (!list.children.length) {
        search();
      }
    });
    if (craft) {
      craft.addEventListener("change", function () {
        var code = craftCodes[craft.value] || "";
        var typed = digitsOf(input.value);
        if (!typed || typed === digitsOf(proposed)) {
          input.value = code;
        }
        proposed = code;
        showDescription();
        search();
      });
    }
  }

  document.querySelectorAll("form.product-form").forEach(setUpKinds);
  document.querySelectorAll("input[data-search-url]").forEach(setUpHsPicker);
})();
