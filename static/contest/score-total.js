// The judge's running weighted total while scoring: the server's formula (contest.judging.weighted_total),
// Σ w·(v − min)/(max − min) / Σ w × 100. Only a guide: the server computes the total that counts when saved.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  var output = document.getElementById("running-total");
  if (!form || !output) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-criterion-weight]"));

  // Typed the Vietnamese way: "7,5" is seven and a half, "1.000" one thousand. "7.5" is ambiguous: no total.
  function parseVietnamese(text) {
    var value = text.trim().replace(/\s/g, "");
    if (!value) return null;
    if (value.indexOf(",") >= 0) {
      value = value.replace(/\./g, "").replace(",", ".");
    } else if (/\./.test(value)) {
      if (!/^\d{1,3}(\.\d{3})+$/.test(value)) return NaN;
      value = value.replace(/\./g, "");
    }
    return /^-?\d+(\.\d+)?$/.test(value) ? parseFloat(value) : NaN;
  }

  function format(number) {
    return number.toFixed(2).replace(".", ",");
  }

  function update() {
    var weighted = 0;
    var weights = 0;
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var value = parseVietnamese(input.value);
      var low = parseFloat(input.dataset.criterionMin);
      var high = parseFloat(input.dataset.criterionMax);
      var weight = parseFloat(input.dataset.criterionWeight);
      if (value === null || isNaN(value) || value < low || value > high) {
        output.textContent = "—";
        return;
      }
      weighted += (weight * (value - low)) / (high - low);
      weights += weight;
    }
    output.textContent = weights ? format((weighted / weights) * 100) : "—";
  }

  form.addEventListener("input", update);
  update();
})();
