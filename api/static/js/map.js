/* Onderdak coordinators' map: draws the GeoJSON layers that maps/build.py embeds.
 *
 * One MarkerCluster group per layer; all markers of a layer are added in one addLayers call.
 * Popups are built only when opened.
 * Hooks for tests and benchmarks: window.OnderdakMap.layers[key].group / .count, and
 * <body data-map-ready="1" data-count-<layer>="n"> once every visible layer is drawn.
 * All text is escaped: feature properties never reach innerHTML unescaped.
 */
(function () {
  "use strict";

  var state = { map: null, config: null, layers: {}, pending: 0, readyCalled: false, bounds: null };

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function spec(key) {
    var list = state.config.layers;
    for (var i = 0; i < list.length; i++) { if (list[i].key === key) { return list[i]; } }
    return null;
  }

  function statusOf(layerSpec, key) {
    for (var i = 0; i < layerSpec.statuses.length; i++) {
      if (layerSpec.statuses[i].key === key) { return layerSpec.statuses[i]; }
    }
    return { key: key, colour: "#555", label: key };
  }

  function formatValue(prop, value) {
    var words = state.config.words;
    if (prop === "precision") { return words[value] || value; }
    if (prop === "next_signal" && value && typeof value === "object") {
      return value.label + " (" + value.date + ")";
    }
    if (prop === "next_deadline" && value && typeof value === "object") {
      return value.deadline + " (" + value.ref + ")";
    }
    return value;
  }

  function popupHtml(layerSpec, props) {
    var status = statusOf(layerSpec, props.status);
    var html = ["<div class=\"om-popup\"><strong>" + esc(layerSpec.label) + "</strong><br>",
      "<span class=\"om-dot\" style=\"background:" + esc(status.colour) + "\"></span> " + esc(status.label),
      "<table>"];
    layerSpec.fields.forEach(function (field) {
      var value = props[field[0]];
      if (value === null || value === undefined || value === "") { return; }
      html.push("<tr><th>" + esc(field[1]) + "</th><td>" + esc(formatValue(field[0], value)) + "</td></tr>");
    });
    html.push("</table>");
    if (props.lots && props.lots.length) {
      html.push("<p><strong>" + esc(state.config.words.lots) + "</strong></p><ul>");
      props.lots.forEach(function (lot) {
        html.push("<li>" + esc(lot.ref) + ": " + esc(lot.deadline) + " (" + esc(lot.days_left) + " " +
          esc(state.config.words.days) + ")</li>");
      });
      html.push("</ul>");
    }
    if (props.link) {
      html.push("<p><a href=\"" + esc(props.link) + "\" target=\"_top\">" + esc(state.config.words.open) + "</a></p>");
    }
    html.push("</div>");
    return html.join("");
  }

  function iconFor(key, colour, cache) {
    if (!cache[colour]) {
      cache[colour] = L.divIcon({
        className: "om-marker om-" + key,
        html: "<span style=\"background:" + esc(colour) + "\"></span>",
        iconSize: [16, 16],
        iconAnchor: [8, 8],
        popupAnchor: [0, -8]
      });
    }
    return cache[colour];
  }

  function clusterIcon(key) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 100 ? 36 : 44;
      return L.divIcon({
        html: "<div><span>" + n + "</span></div>",
        className: "marker-cluster om-cluster om-cluster-" + key,
        iconSize: L.point(size, size)
      });
    };
  }

  function layerDone(key) {
    var entry = state.layers[key];
    if (entry.done) { return; }
    entry.done = true;
    state.pending -= 1;
    maybeReady();
  }

  function maybeReady() {
    if (!state.readyCalled || state.pending > 0) { return; }
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        var body = document.body;
        Object.keys(state.layers).forEach(function (key) {
          body.setAttribute("data-count-" + key.replace(/_/g, "-"), String(state.layers[key].count));
        });
        body.setAttribute("data-map-ready", "1");
        OnderdakMap.readyAt = window.performance.now();
      });
    });
  }

  function legendControl() {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "om-legend leaflet-control");
      var html = ["<strong>" + esc(state.config.words.legend) + "</strong>"];
      state.config.layers.forEach(function (layerSpec) {
        html.push("<div class=\"om-legend-layer\"><span class=\"om-legend-title\">" + esc(layerSpec.label) + "</span>");
        layerSpec.statuses.forEach(function (status) {
          html.push("<div><span class=\"om-marker om-" + esc(layerSpec.key) + " om-legend-marker\"><span style=\"background:" +
            esc(status.colour) + "\"></span></span> " + esc(status.label) + "</div>");
        });
        html.push("</div>");
      });
      div.innerHTML = html.join("");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return control;
  }

  function drawOrientation(map, orientation) {
    var group = L.layerGroup();
    if (orientation.outline && orientation.outline.length > 2) {
      L.polygon(orientation.outline, {
        color: "#9aa7b1", weight: 1, fillColor: "#ffffff", fillOpacity: 0.7, interactive: false
      }).addTo(group);
    }
    (orientation.towns || []).forEach(function (town) {
      L.marker([town.lat, town.lon], {
        icon: L.divIcon({ className: "om-town", html: esc(town.name), iconSize: null }),
        interactive: false,
        keyboard: false
      }).addTo(group);
    });
    group.addTo(map);
    return group;
  }

  var OnderdakMap = {
    layers: state.layers,
    readyAt: null,

    setup: function (map, config, orientation, bounds) {
      state.map = map;
      if (!isFinite(map.getMaxZoom())) { map.setMaxZoom(config.maxZoom || 18); }
      // The map document may be laid out after this runs (it lives in an iframe): measure the
      // container again before fitting, and once more when the document has loaded, or markers
      // far apart can end up outside the first view.
      state.bounds = bounds;
      map.invalidateSize();
      if (bounds) { map.fitBounds(bounds); }
      window.addEventListener("load", function () {
        map.invalidateSize();
        if (state.bounds) { map.fitBounds(state.bounds); }
      });
      state.config = config;
      OnderdakMap.map = map;
      map.getContainer().classList.add("om-map");
      OnderdakMap.orientation = drawOrientation(map, orientation);
      legendControl().addTo(map);
    },

    clusterLayer: function (key, collection) {
      var layerSpec = spec(key);
      var icons = {};
      var entry = { group: null, count: 0, done: false };
      state.layers[key] = entry;
      state.pending += 1;
      // chunkedLoading off: measured (benchmarks/bench_map.py) to draw 10,000 markers about twice as fast;
      // the page is busy for a moment while it loads instead of for longer in small slices.
      var group = L.markerClusterGroup({
        chunkedLoading: false,
        showCoverageOnHover: false,
        maxClusterRadius: 50,
        spiderfyOnMaxZoom: true,
        iconCreateFunction: clusterIcon(key),
        chunkProgress: function (processed, total) { if (processed >= total) { layerDone(key); } }
      });
      var features = collection.features;
      var markers = new Array(features.length);
      for (var i = 0; i < features.length; i++) {
        var f = features[i];
        var c = f.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], {
          icon: iconFor(key, statusOf(layerSpec, f.properties.status).colour, icons),
          title: f.properties.ref || "",
          alt: layerSpec.label
        });
        marker.feature = f;
        marker.bindPopup(function (layer) { return popupHtml(layerSpec, layer.feature.properties); });
        markers[i] = marker;
      }
      group.addLayers(markers);
      entry.group = group;
      entry.count = markers.length;
      if (markers.length === 0) { layerDone(key); }
      group.on("add", function () { if (!entry.done && entry.count === 0) { layerDone(key); } });
      return group;
    },

    ready: function (map) {
      map.invalidateSize();
      // Layers that start switched off are not drawn now: do not wait for them.
      Object.keys(state.layers).forEach(function (key) {
        var entry = state.layers[key];
        if (!map.hasLayer(entry.group)) { layerDone(key); }
      });
      state.readyCalled = true;
      maybeReady();
    }
  };

  window.OnderdakMap = OnderdakMap;
})();
