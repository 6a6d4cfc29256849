// A form marked data-auto-submit is sent once the page has loaded: the step after a return from Smartpay that
// must be a POST (it charges), without asking the shopper to click. Without script, its button does the same.
document.querySelectorAll("form[data-auto-submit]").forEach((form) => {
  form.querySelector("button")?.setAttribute("disabled", "");
  form.submit();
});
