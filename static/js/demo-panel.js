// The "under the hood" panel: remember whether it is open, and refresh its steps while the processing page
// waits for Smartpay (the steps arrive as the return read and the webhooks happen).
(function () {
  const panel = document.getElementById("under-the-hood");
  if (!panel) return;
  const key = "under-the-hood-open";
  panel.open = window.localStorage.getItem(key) === "1";
  panel.addEventListener("toggle", function () { window.localStorage.setItem(key, panel.open ? "1" : "0"); });
  if (!document.getElementById("order-status")) return;
  const steps = panel.querySelector(".demo-steps");
  setInterval(async function () {
    try {
      const response = await fetch(panel.dataset.src, { headers: { Accept: "text/html" } });
      if (response.ok) steps.innerHTML = await response.text();
    } catch (error) { /* offline for a moment: try again next tick */ }
  }, 2000);
})();
