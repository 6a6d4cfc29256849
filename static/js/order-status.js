// The processing page asks the shop every 2 seconds whether Smartpay confirmed the order, then reloads
// into the receipt. Without JavaScript the "Check again" link does the same.
(function () {
  const panel = document.getElementById("order-status");
  if (!panel) return;
  let tries = 0;
  const timer = setInterval(async function () {
    tries += 1;
    if (tries > 90) return clearInterval(timer);  // three minutes; the link stays
    try {
      const response = await fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (body.done) { clearInterval(timer); window.location.reload(); }
    } catch (error) { /* offline for a moment: try again next tick */ }
  }, 2000);
})();
