/* Sign-up form: a Leaflet map to put a pin on the host's house (sets the hidden lat/lon fields) and a live
 * preview of what a guest would do to a benefit. Both are enhancements: without JavaScript, postcode and
 * house number place the house (approximately, at the town) and the "Bereken" button shows the preview.
 * No tile server (offline, privacy): the map shows town names from the app's own gazetteer. */
(function () {
  "use strict";
  var NL_BOUNDS = [[50.7, 3.3], [53.6, 7.3]];
  var form = document.getElementById("signup-form");
  if (!form) { return; }
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var status = document.getElementById("pin-status");
  var clear = document.getElementById("pin-clear");
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var T = {
    nl: { set: "Speld gezet op ", outside: "Die plek ligt buiten Nederland; de speld is niet gezet.", cleared: "Speld weggehaald.",
          keys: "Kaart: pijltjestoetsen verschuiven, + en - zoomen, Enter zet de speld in het midden." },
    en: { set: "Pin set at ", outside: "That spot is outside the Netherlands; no pin was set.", cleared: "Pin removed.",
          keys: "Map: arrow keys pan, + and - zoom, Enter puts the pin in the centre." }
  }[lang];

  function inNL(p) { return p.lat >= 50.7 && p.lat <= 53.6 && p.lng >= 3.3 && p.lng <= 7.3; }

  function centreOnMunicipality(map) {
    var select = document.getElementById("municipality");
    var option = select && select.options[select.selectedIndex];
    if (!option || !option.getAttribute("data-lat")) { return false; }
    map.setView([parseFloat(option.getAttribute("data-lat")), parseFloat(option.getAttribute("data-lon"))], 11);
    return true;
  }

  function setupMap() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") { return; }
    var map = L.map(el, { maxBounds: [[50.4, 2.8], [53.9, 7.6]], minZoom: 6, maxZoom: 16, keyboard: true,
                          attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Leaflet · Natural Earth · GeoNames (CC BY 4.0)");
    var marker = null;
    function place(p, announce) {
      if (!inNL(p)) { status.textContent = T.outside; return; }
      lat.value = p.lat.toFixed(6);
      lon.value = p.lng.toFixed(6);
      if (marker) { marker.setLatLng(p); } else { marker = L.marker(p, { keyboard: false }).addTo(map); }
      clear.hidden = false;
      if (announce) { status.textContent = T.set + lat.value + ", " + lon.value; }
    }
    if (lat.value && lon.value) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      map.setView(start, 14);
      place(start, false);
    } else {
      centreOnMunicipality(map) || map.fitBounds(NL_BOUNDS);
    }
    var municipality = document.getElementById("municipality");
    if (municipality) {
      municipality.addEventListener("change", function () { if (!lat.value) { centreOnMunicipality(map); } });
    }
    map.on("click", function (e) { place(e.latlng, true); });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); place(map.getCenter(), true); }
    });
    el.setAttribute("aria-roledescription", "map");
    el.title = T.keys;
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      clear.hidden = true;
      status.textContent = T.cleared;
    });
    // The outline of the Netherlands (Natural Earth, public domain) instead of map tiles.
    fetch(el.getAttribute("data-outline"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (shape) {
        if (shape) {
          L.geoJSON(shape, { interactive: false, style: { color: "#6b8f6b", weight: 1.5, fillColor: "#ffffff",
                                                          fillOpacity: 0.85 } }).addTo(map);
        }
      })
      .catch(function () { /* decoration */ });
    fetch(el.getAttribute("data-towns"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (towns) {
        // Three layers of labels, so the map stays readable: cities, towns, villages.
        var levels = [{ min: 100000, zoom: 0, layer: L.layerGroup() }, { min: 20000, zoom: 9, layer: L.layerGroup() },
                      { min: 0, zoom: 11, layer: L.layerGroup() }];
        towns.forEach(function (t) {
          var level = levels.filter(function (l) { return t.p >= l.min; })[0];
          var m = L.circleMarker([t.lat, t.lon], { radius: t.p >= 100000 ? 4 : 2, color: "#5a6b5a", weight: 1,
                                                   fillOpacity: 0.7, interactive: false });
          m.bindTooltip(t.n, { permanent: true, direction: "right", className: "town-label", interactive: false });
          level.layer.addLayer(m);
        });
        function zoomed() {
          levels.forEach(function (l) {
            if (map.getZoom() >= l.zoom) { l.layer.addTo(map); } else { map.removeLayer(l.layer); }
          });
        }
        map.on("zoomend", zoomed);
        zoomed();
      })
      .catch(function () { /* labels are decoration */ });
    // Choosing a town centres the map on it, so the pin lands near the house.
    var city = document.getElementById("city");
    if (city) {
      city.addEventListener("change", function () {
        fetch(el.getAttribute("data-towns")).then(function (r) { return r.json(); }).then(function (towns) {
          var v = city.value.trim().toLowerCase();
          var hit = towns.filter(function (t) { return t.n.toLowerCase() === v; })[0];
          if (hit && !lat.value) { map.setView([hit.lat, hit.lon], 13); }
        }).catch(function () {});
      });
    }
  }

  function setupPreview() {
    var box = document.getElementById("benefit-box");
    var target = document.getElementById("benefit-preview");
    var seen = document.getElementById("preview_seen");
    if (!box || !target) { return; }
    var timer = null;
    function onBenefit() { var y = form.querySelector("input[name=on_benefit]:checked"); return y && y.value === "yes"; }
    function refresh() {
      if (!onBenefit()) { box.setAttribute("data-hidden", "1"); return; }
      box.removeAttribute("data-hidden");
      var data = new FormData(form);
      data.delete("action");
      fetch("/aanmelden/voorbeeld", { method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
                                      headers: { "Content-Type": "application/x-www-form-urlencoded" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          target.innerHTML = html;  // server-rendered and autoescaped
          if (!target.querySelector(".field-error") && target.querySelector("h3")) { seen.value = "1"; }
        })
        .catch(function () { /* the Bereken button still works */ });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
    form.addEventListener("change", function (e) {
      var n = e.target.name || "";
      if (n === "on_benefit" || n === "birth_date" || n === "municipality" || n.indexOf("member") === 0) { later(); }
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  setupMap();
  setupPreview();
})();
