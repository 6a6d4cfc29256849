// Postal code → address, as Japanese shops do it: once 7 digits are typed (full- or half-width, with or without
// a dash), the prefecture, the city and the town are filled from the shop's /address/ endpoint (Japan Post's
// data, storefront/address.py), and a status line says so. The street number stays the shopper's to type.
// Without JavaScript nothing happens: the shopper types the fields, as on any form.
(function () {
  const box = document.querySelector("[data-address-lookup]");
  if (!box) return;
  const code = document.getElementById("postal_code");
  const status = document.getElementById("postal-code-status");
  const prefecture = document.getElementById("prefecture");
  const city = document.getElementById("city");
  const street = document.getElementById("address_line1");
  let asked = "";

  function digits(text) {
    // NFKC makes full-width digits ASCII; then every dash a Japanese keyboard types, 〒 and spaces go.
    return text.normalize("NFKC").replace(/[\u2010-\u2015\u2212\u30fc\uff0d\u3012\s-]/g, "");
  }

  async function fill() {
    const wanted = digits(code.value);
    if (!/^[0-9]{7}$/.test(wanted) || wanted === asked) return;
    asked = wanted;
    try {
      const response = await fetch(box.dataset.addressLookup.replace("CODE", wanted),
                                   { headers: { Accept: "application/json" } });
      const answer = await response.json();
      if (!response.ok) {
        status.textContent = answer.message;
        return;
      }
      code.value = answer.postal_code;
      prefecture.value = answer.prefecture;
      city.value = answer.city;
      if (!street.value) street.value = answer.town;
      status.textContent = box.dataset.filledMessage.replace("ADDRESS", answer.prefecture + answer.city + answer.town);
    } catch (error) {
      asked = "";  // offline for a moment: the next keystroke tries again
    }
  }

  code.addEventListener("input", fill);
  code.addEventListener("change", fill);
})();
