"""eval/lib/notes.py - note lists of `kitsch notes` / `kitsch melody --notes`
and the note F1 of eval/audio_transcription.sh, eval/build_contour_costs.sh
and the note agreement of eval/audio_decoder_pairs.sh."""


def notes(p):
    """(onset_s, midi_pitch) per note of a notes TSV, and its first comment
    line (which names the transcription path) or ''."""
    out, head = [], ''
    for l in open(p):
        if l.startswith('#'):
            head = head or l.strip()
            continue
        if not l.strip():
            continue
        f = l.rstrip('\n').split('\t')
        out.append((float(f[1]), int(f[3])))
    return out, head


def f1(ref, est, tol=0.05, pitch=True):
    """note F1, precision, recall: onset within tol s, exact pitch (any pitch
    when pitch is False), one-to-one (each reference note takes the nearest
    unused estimate)."""
    used = [False] * len(est)
    tp = 0
    for (t, p) in ref:
        best, bd = -1, tol + 1e-9
        for j, (u, q) in enumerate(est):
            if not used[j] and (q == p or not pitch) and abs(u - t) <= bd:
                best, bd = j, abs(u - t)
        if best >= 0:
            used[best] = True
            tp += 1
    P = tp / len(est) if est else 0
    R = tp / len(ref) if ref else 0
    return (2 * P * R / (P + R) if P + R else 0), P, R
