import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '../app/api';
import { heatColor, loadMapSettings, type BaseMapState, type MapViewProps } from './mapShared';

/**
 * The Leaflet part of MapView (components/MapView.tsx), its own chunk: the map canvas, its layers
 * and controls. MapView renders the frame around it (label, hint, notices, legend, children).
 */
interface Boundary {
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: { bounds: [number, number, number, number] };
}
const boundaries = new Map<string, Promise<Boundary | null>>();
function loadBoundary(code: string): Promise<Boundary | null> {
  let p = boundaries.get(code);
  if (!p) boundaries.set(code, (p = api<Boundary>(`/api/v1/map/municipalities/${code}/boundary`).catch(() => null)));
  return p;
}

const ESTONIA: L.LatLngBoundsExpression = [
  [57.5, 21.8],
  [59.7, 28.2],
];

export default function MapCanvas(props: MapViewProps & { hintId: string; onBaseMap: (state: BaseMapState) => void }) {
  const { municipalityCode, markers, heat, picked, onPick, center, zoom, hintId, onBaseMap } = props;
  const setBaseMap = onBaseMap;
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<{
    markers: L.LayerGroup;
    heat: L.LayerGroup;
    outline: L.LayerGroup;
    picked: L.LayerGroup;
  } | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const [ready, setReady] = useState(false);

  // Create the map once.
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, {
      keyboard: true,
      zoomControl: true,
      attributionControl: true,
      minZoom: 6,
      maxBounds: [
        [56.5, 20],
        [60.8, 29.5],
      ],
    });
    m.fitBounds(ESTONIA);
    if (center) m.setView([center.lat, center.lon], zoom ?? 13);
    layers.current = {
      outline: L.layerGroup().addTo(m),
      heat: L.layerGroup().addTo(m),
      markers: L.layerGroup().addTo(m),
      picked: L.layerGroup().addTo(m),
    };
    m.on('click', (e: L.LeafletMouseEvent) =>
      pickRef.current?.({ lat: round(e.latlng.lat), lon: round(e.latlng.lng) }),
    );
    const container = m.getContainer();
    container.setAttribute('aria-describedby', hintId);
    const onKey = (e: KeyboardEvent) => {
      if (e.target !== container || !pickRef.current) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        const c = m.getCenter();
        pickRef.current({ lat: round(c.lat), lon: round(c.lng) });
      }
    };
    container.addEventListener('keydown', onKey);
    map.current = m;
    let cancelled = false;
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(m);
    void loadMapSettings().then((s) => {
      if (cancelled) return;
      if (!s.tileUrl) {
        setBaseMap('none');
        return;
      }
      // Tiles that fail (offline, blocked) leave the plain background with the boundaries; the
      // notice says so until a tile loads again.
      const tiles = L.tileLayer(s.tileUrl, { attribution: s.attribution, maxZoom: s.maxZoom });
      let failed = 0;
      tiles.on('tileerror', () => {
        failed += 1;
        if (failed >= 2) setBaseMap('failed');
      });
      tiles.on('tileload', () => {
        failed = 0;
        setBaseMap('ok');
      });
      tiles.addTo(m);
    });
    setReady(true);
    return () => {
      cancelled = true;
      container.removeEventListener('keydown', onKey);
      m.remove();
      map.current = null;
      layers.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Municipality outline and view.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.outline.clearLayers();
    if (!municipalityCode) return;
    let cancelled = false;
    void loadBoundary(municipalityCode).then((b) => {
      if (cancelled || !b) return;
      L.geoJSON(b.geometry as never, {
        interactive: false,
        style: { color: '#1d4f91', weight: 2, fillColor: '#1d4f91', fillOpacity: 0.04 },
      }).addTo(l.outline);
      if (!center) {
        const [s, w, n, e] = b.properties.bounds;
        // The container may have been laid out after the map was made: measure again, then jump (no animation).
        m.invalidateSize({ animate: false });
        m.fitBounds(
          [
            [s, w],
            [n, e],
          ],
          { animate: false },
        );
      }
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [municipalityCode, ready]);

  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.markers.clearLayers();
    for (const mk of markers ?? []) {
      const c = L.circleMarker([mk.lat, mk.lon], {
        radius: 7,
        color: '#ffffff',
        weight: 2,
        fillColor: mk.color ?? '#b3261e',
        fillOpacity: 0.95,
        className: 'map-marker',
      });
      c.bindTooltip(textNode(mk.label));
      if (mk.onSelect) c.on('click', () => mk.onSelect!());
      c.addTo(l.markers);
    }
  }, [markers, ready]);

  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.heat.clearLayers();
    for (const h of heat ?? []) {
      const r = L.rectangle(
        [
          [h.lat, h.lon],
          [h.lat + h.latSize, h.lon + h.lonSize],
        ],
        {
          stroke: false,
          fillColor: heatColor(h.weight),
          fillOpacity: 0.25 + 0.55 * h.weight,
          interactive: Boolean(h.label),
        },
      );
      if (h.label) r.bindTooltip(textNode(h.label));
      r.addTo(l.heat);
    }
  }, [heat, ready]);

  useEffect(() => {
    const l = layers.current;
    const m = map.current;
    if (!l || !m) return;
    l.picked.clearLayers();
    if (picked) {
      L.circleMarker([picked.lat, picked.lon], {
        radius: 9,
        color: '#ffffff',
        weight: 3,
        fillColor: '#1d4f91',
        fillOpacity: 1,
      }).addTo(l.picked);
      if (!m.getBounds().contains([picked.lat, picked.lon])) m.panTo([picked.lat, picked.lon]);
    }
  }, [picked, ready]);

  return <div ref={el} className="map-canvas" />;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Leaflet reads a string tooltip as HTML: labels are user text (report and idea titles), so give it a text node. */
function textNode(text: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = text;
  return el;
}
