// The payment page: a card form from Stripe.js (or localstripe's stand-in for it).
// The server opens a SetupIntent, Stripe.js confirms the card on it, the server charges the
// order's total (never an amount from here) and answers; 3-D Secure, when the bank asks for
// it, runs here before the server reads the outcome. Sending the same SetupIntent again is how
// a retry asks about the same attempt: the server never charges it twice.
(function () {
  "use strict";

  var form = document.getElementById("pay-form");
  if (!form) {
    return;
  }
  var button = form.querySelector("[data-pay-button]");
  var message = document.getElementById("pay-message");
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var text = form.dataset;
  var setupIntentId = null; // the current attempt's, kept while its outcome is open
  var polls = 0;

  function show(words, isError) {
    message.textContent = words || "";
    message.hidden = !words;
    message.classList.toggle("pay-form__message--error", Boolean(isError));
  }

  function ready() {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }

  if (typeof window.Stripe !== "function") {
    show(text.msgNoStripe, true);
    return;
  }
  var stripe = window.Stripe(text.stripeKey, { locale: text.locale });
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  ready();

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: new URLSearchParams(data || {}).toString(),
    }).then(function (response) {
      return response.json().catch(function () {
        return { status: "error", message: text.msgError };
      });
    });
  }

  function wait(milliseconds) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, milliseconds);
    });
  }

  // What the server said about the attempt: go on, or say why not and let the buyer retry.
  function follow(answer) {
    if (answer.redirect) {
      window.location.assign(answer.redirect);
      return null;
    }
    if (answer.status === "requires_action" && answer.client_secret) {
      show(text.msgAuthenticate, false);
      // Whatever the outcome, the server reads it from the PaymentIntent itself.
      return stripe.confirmCardPayment(answer.client_secret).then(askServer);
    }
    if (answer.status === "started" && polls < 5) {
      polls += 1; // another request for this attempt is still with the processor
      return wait(2000).then(askServer);
    }
    if (answer.status === "failed" || answer.code === "card_not_confirmed") {
      setupIntentId = null; // a new attempt starts with a new card entry
    }
    show(answer.message || text.msgError, true);
    ready();
    return null;
  }

  function askServer() {
    return post(text.confirmUrl, { setup_intent: setupIntentId }).then(follow);
  }

  function confirmCard(answer) {
    if (!answer.client_secret) {
      return follow(answer);
    }
    return stripe
      .confirmCardSetup(answer.client_secret, { payment_method: { card: card } })
      .then(function (outcome) {
        if (outcome.error) {
          show(outcome.error.message || text.msgError, true);
          ready();
          return null;
        }
        setupIntentId = outcome.setupIntent.id;
        return askServer();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    polls = 0;
    show(text.msgWorking, false);
    var step = setupIntentId ? askServer() : post(text.setupUrl).then(confirmCard);
    step.catch(function () {
      show(text.msgNetwork, true);
      ready();
    });
  });
})();
