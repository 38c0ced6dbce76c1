/** How a video's length is shown on its tile, and whether this browser is likely to play it. */

/** "0:07", "12:45", "1:02:03"; null for no duration. */
export function formatDuration(ms: number | null | undefined): string | null {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return null;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// Codec names as the server reports them (FFmpeg's) -> a MIME codecs string to ask the browser.
const CODEC_PROBES: Record<string, string> = {
  h264: 'video/mp4; codecs="avc1.42E01E"',
  hevc: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  vp8: 'video/webm; codecs="vp8"',
  vp9: 'video/webm; codecs="vp9"',
  av1: 'video/mp4; codecs="av01.0.05M.08"',
};

const CODEC_NAMES: Record<string, string> = {
  h264: 'H.264', hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mpeg4: 'MPEG-4 Part 2',
  prores: 'ProRes', mjpeg: 'Motion JPEG',
};

/** The codec's everyday name ("HEVC (H.265)"), or the raw name. */
export function codecName(codec: string | null | undefined): string {
  if (!codec) return 'an unknown codec';
  return CODEC_NAMES[codec] ?? codec;
}

/**
 * Whether the browser says it can play the codec: `canPlayType` answers "probably", "maybe"
 * or "". HEVC plays in Safari and on Android/Chrome only with a hardware decoder; Firefox has
 * none; ProRes and MPEG-4 Part 2 play almost nowhere. Unknown codecs are tried anyway (the
 * element's error event then shows the message).
 */
export function canPlay(codec: string | null | undefined,
                        canPlayType: (type: string) => string): boolean {
  if (!codec) return true;
  const probe = CODEC_PROBES[codec];
  if (probe) return canPlayType(probe) !== '';
  return !['prores', 'mpeg4', 'mjpeg'].includes(codec);
}
