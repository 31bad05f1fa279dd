"""eval/lib/pairs.py - feature groups and the relative difference between a
recording and a re-encoded copy of it, shared by eval/audio_decoder_pairs.sh,
eval/audio_decoder_pairs_cv.sh and eval/build_tuning.sh, so the held-out
figure and the figures that choose constants are the same measure."""
import json
import os
import statistics as st

GROUPS = {
    'melodic': ['audio.melody_pc_entropy', 'audio.melody_interval_entropy', 'audio.melody_interval_cond_entropy',
                'audio.melody_ic', 'audio.melody_pred_entropy', 'audio.melody_high_ic_share', 'audio.npvi'],
    'harmonic': ['audio.key_clarity', 'audio.key_margin', 'audio.chord_trans_entropy', 'audio.chord_change_rate',
                 'audio.chord_lz'],
    'rhythmic': ['audio.tempo_bpm', 'audio.tempo_cv', 'audio.tempo_drift', 'audio.ioi_entropy', 'audio.onset_rate'],
    'loudness': ['audio.loudness_lufs', 'audio.lra', 'audio.st_loudness_sd', 'audio.plr'],
    'structure': ['audio.repetition_share', 'audio.novelty_per_min'],
    'context': ['audio.transcription_conf', 'audio.notes_per_s'],
}


def load(path):
    """features of the ok records of a kitsch JSONL file, by file name"""
    out = {}
    for line in open(path):
        r = json.loads(line)
        if r.get('status') == 'ok':
            out[os.path.basename(r['path'])] = r['features']
    return out


def rel_diffs(real, copy, k):
    """{clip: |f(copy) - f(real)| / max(|f(real)|, scale)} over the clips that
    measure feature k on both sides; scale = k's spread over the real clips
    (avoids dividing by ~0). None when fewer than 2 real clips measure k."""
    rv = [real[p][k] for p in real if real[p].get(k) is not None]
    if len(rv) < 2:
        return None
    scale = st.pstdev(rv) or 1.0
    return {p: abs(copy[p][k] - real[p][k]) / max(abs(real[p][k]), scale)
            for p in real if p in copy and copy[p].get(k) is not None and real[p].get(k) is not None}
