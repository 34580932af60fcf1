import type { ReactNode } from 'react';
import { api } from '../app/api';

/** What MapView (the frame, MapView.tsx) and MapCanvas (Leaflet, its own chunk) share. */
export interface MapPoint {
  lat: number;
  lon: number;
}

export interface MapMarker extends MapPoint {
  id: string;
  /** Tooltip and accessible text. */
  label: string;
  color?: string;
  onSelect?: () => void;
}

export interface HeatCell extends MapPoint {
  /** Cell size in degrees (the cell spans lat..lat+latSize, lon..lon+lonSize). */
  latSize: number;
  lonSize: number;
  /** 0..1, relative intensity. */
  weight: number;
  label?: string;
}

export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
  maxZoom: number;
}

let settingsPromise: Promise<MapSettings> | undefined;
export function loadMapSettings(): Promise<MapSettings> {
  settingsPromise ??= api<MapSettings>('/api/v1/map/settings').catch(() => ({
    tileUrl: null,
    attribution: '',
    maxZoom: 19,
  }));
  return settingsPromise;
}

export interface MapViewProps {
  label: string;
  hint?: string;
  municipalityCode?: string;
  markers?: MapMarker[];
  heat?: HeatCell[];
  picked?: MapPoint | null;
  onPick?: (p: MapPoint) => void;
  /** Initial view when there is no municipality outline. */
  center?: MapPoint;
  zoom?: number;
  className?: string;
  children?: ReactNode;
  /** With `heat`: the legend's title and its lowest and highest counts. */
  heatLegend?: { title: string; min: string; max: string };
}

/** 'none': no tile source configured; 'failed': tiles do not load (offline, blocked). */
export type BaseMapState = 'ok' | 'none' | 'failed';

/** Yellow → red, readable over a plain or tiled background (MapView.css .map-legend-ramp: the same ramp). */
export function heatColor(w: number): string {
  const t = Math.max(0, Math.min(1, w));
  const g = Math.round(200 - 170 * t);
  return `rgb(220, ${g}, 30)`;
}
