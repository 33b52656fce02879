#!/usr/bin/env python3
"""
The ladtl tagger (lib/nn/tagger.ts with char 'none') written with PyTorch, as a peer of the `peers`
benchmark: word embeddings -> dropout -> single-layer Bi-LSTM -> linear emissions -> linear-chain
CRF with start/end scores and BIO constraints; trained with torch.optim.Adam.

    /usr/bin/python3 bench/peers/torch_tagger.py DIR

DIR holds what bench/peers/torchPeer.ts wrote: manifest.json, ladtl's initial parameter values as
raw little-endian float32 files and the benchmark's batches as raw int32 files. The process then
serves a line protocol on stdin/stdout (one request line, one reply line, so the benchmark can
alternate it with the in-process contenders round by round):

    train N I   N training steps on batches I, I+1, ... (cycling)  -> ok SECONDS LAST_LOSS
    decode N I  N decodes (forward without dropout + Viterbi)      -> ok SECONDS
    loss I      mean CRF NLL of batch I without dropout, no update -> ok LOSS
    paths I     Viterbi tags of batch I, batch-major, -1 at padding -> ok T0 T1 ...
    use LAYOUT  run the requests above on that layout's model      -> ok
    reset       rebuild every layout's model and Adam from ladtl's weights -> ok
    ping        -> ok (the channel's round trip)
    stats       -> ok {json: max RSS, ...}
    quit
SECONDS is this process's own clock around the work (the caller also times the whole request).
Any failure answers `error MESSAGE` (and the process exits). The first line it prints is
`ready {json}` with the versions, the thread settings and the BLAS that was loaded.

How each piece is written, and where it is not op-for-op what ladtl does:
- Embedding: nn.Embedding (dense gradient, so Adam updates the whole table each step, as ladtl and
  TF.js do), then nn.Dropout(0.5) while training (inverted dropout, as ladtl; different masks).
- LSTM, two layouts of the same function (the process holds one model per layout, `use` picks one;
  the benchmark times the faster): `packed`, one nn.LSTM(bidirectional=True, batch_first=True) over a
  packed batch (pack_padded_sequence, enforce_sorted=False); `reversed`, two nn.LSTM over the padded
  batch, the backward one reading each sentence reversed within its length (a gather), outputs
  masked. Either way each sentence's backward direction starts at its last real token and outputs
  are zero at padding, which is ladtl's semantics. Gate order i, f, g, o is PyTorch's as well as
  ladtl's, so the weights load as transposes. PyTorch has two biases per
  direction (b_ih + b_hh); b_ih takes ladtl's bias and b_hh is fixed at zero (requires_grad False),
  so that Adam sees one bias as in ladtl (two trainable copies would double its effective step).
- Emissions: nn.Linear(2H, K) (weight = ladtl's W transposed).
- CRF NLL: the forward algorithm in log space with torch.logsumexp over [B, from, to] per step, the
  state frozen past each sentence's end with torch.where; the gold score by indexing; forbidden
  transitions/start/end add -inf (as ladtl); mean over the batch. Autograd differentiates it; ladtl
  has a fused op with a hand-written forward-backward gradient.
- Viterbi: the same recursion with max/argmax per step in torch, backtracking vectorised over the
  batch (torch ops, no Python loop over sentences).
- Adam: torch.optim.Adam(lr, betas (0.9, 0.999), eps 1e-8), the same form as ladtl's.
- float32 throughout (ladtl uses float64 in the CRF kernels).
Threads: torch.set_num_threads(1) (and OMP/OPENBLAS/MKL_NUM_THREADS=1 from the caller).
"""
import ctypes
import json
import os
import resource
import sys
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def blas_info():
    """Which BLAS library the process mapped, and OpenBLAS's core and config when it is OpenBLAS."""
    libs = []
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            if 'blas' in path.lower() and path not in libs:
                libs.append(path)
    info = {'libraries': libs}
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            info['openblasCore'] = lib.openblas_get_corename().decode()
            info['openblasConfig'] = lib.openblas_get_config().decode()
            info['openblasThreads'] = lib.openblas_get_num_threads()
            info['library'] = os.path.realpath(path)
            break
        except (OSError, AttributeError):
            continue
    if 'library' not in info:
        info['library'] = os.path.realpath(libs[0]) if libs else 'none mapped'
    return info


def addmm_us():
    """Time of a 15x100 . 100x400 addmm (the recurrent product's shape), microseconds."""
    a, b, c = torch.randn(15, 100), torch.randn(100, 400), torch.randn(15, 400)
    for _ in range(200):
        torch.addmm(c, a, b)
    best = float('inf')
    for _ in range(5):
        n = 500
        t0 = time.perf_counter()
        for _ in range(n):
            torch.addmm(c, a, b)
        best = min(best, (time.perf_counter() - t0) / n * 1e6)
    return best


LAYOUTS = ('packed', 'reversed')


class TorchTagger(nn.Module):
    def __init__(self, vocab, word_dim, hidden, num_tags, dropout, constraints, layout):
        super().__init__()
        if layout not in LAYOUTS:
            raise ValueError('layout must be one of %s' % (LAYOUTS,))
        self.layout = layout
        self.embedding = nn.Embedding(vocab, word_dim)
        self.dropout = nn.Dropout(dropout)
        if layout == 'packed':
            self.lstm = nn.LSTM(word_dim, hidden, batch_first=True, bidirectional=True)
        else:
            self.fw = nn.LSTM(word_dim, hidden, batch_first=True)
            self.bw = nn.LSTM(word_dim, hidden, batch_first=True)
        self.emit = nn.Linear(2 * hidden, num_tags)
        self.transitions = nn.Parameter(torch.zeros(num_tags, num_tags))
        self.start = nn.Parameter(torch.zeros(num_tags))
        self.end = nn.Parameter(torch.zeros(num_tags))
        ninf = float('-inf')

        def mask(allowed, shape):
            m = torch.zeros(shape)
            if allowed is not None:
                m[torch.tensor(allowed, dtype=torch.bool).reshape(shape).logical_not()] = ninf
            return m

        c = constraints or {}
        self.register_buffer('mask_a', mask(c.get('transitions'), (num_tags, num_tags)))
        self.register_buffer('mask_s', mask(c.get('start'), (num_tags,)))
        self.register_buffer('mask_e', mask(c.get('end'), (num_tags,)))

    def load_ladtl(self, p):
        """ladtl's parameters by their names (lib/nn Module.namedParameters)."""
        with torch.no_grad():
            self.embedding.weight.copy_(p['encoder.words.table'])
            if self.layout == 'packed':
                directions = ((self.lstm, '', 'forward'), (self.lstm, '_reverse', 'backward'))
            else:
                directions = ((self.fw, '', 'forward'), (self.bw, '', 'backward'))
            for lstm, suffix, d in directions:
                getattr(lstm, 'weight_ih_l0' + suffix).copy_(p['encoder.lstm.%s.Wih' % d].t())
                getattr(lstm, 'weight_hh_l0' + suffix).copy_(p['encoder.lstm.%s.Whh' % d].t())
                getattr(lstm, 'bias_ih_l0' + suffix).copy_(p['encoder.lstm.%s.bias' % d])
                bhh = getattr(lstm, 'bias_hh_l0' + suffix)
                bhh.zero_()
                bhh.requires_grad_(False)
            self.emit.weight.copy_(p['crf.W'].t())
            self.emit.bias.copy_(p['crf.b'])
            self.transitions.copy_(p['crf.transitions'])
            self.start.copy_(p['crf.start'])
            self.end.copy_(p['crf.end'])

    def emissions(self, batch):
        """[B, T, K]."""
        x = self.dropout(self.embedding(batch['words']))
        T, lengths = batch['T'], batch['lengths']
        if self.layout == 'packed':
            packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            h, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        else:
            # Two unidirectional LSTMs over the padded batch. The backward one reads each sentence
            # reversed within its length (padding stays at the end), so it starts at the last real
            # token; its outputs are put back in place by the same permutation (an involution).
            # States past a sentence's end are computed but masked out of the output, so they get no
            # gradient and nothing real reads them.
            B, D = x.shape[0], x.shape[2]
            pos = torch.arange(T).unsqueeze(0)
            last = lengths.unsqueeze(1) - 1
            rev = torch.where(pos <= last, last - pos, pos.expand(B, T))
            hf, _ = self.fw(x)
            hb, _ = self.bw(x.gather(1, rev.unsqueeze(2).expand(B, T, D)))
            hb = hb.gather(1, rev.unsqueeze(2).expand(B, T, hb.shape[2]))
            h = torch.cat([hf, hb], 2) * batch['mask'].unsqueeze(2)
        return self.emit(h)

    def scores(self):
        return self.transitions + self.mask_a, self.start + self.mask_s, self.end + self.mask_e

    def nll(self, batch):
        """Mean CRF NLL over the batch's sentences (ladtl's Tagger.loss)."""
        E = self.emissions(batch)
        A, s, e = self.scores()
        T, mask, tags = batch['T'], batch['mask'], batch['tags']
        Et, mt = E.transpose(0, 1), mask.t().unsqueeze(2)
        alpha = Et[0] + s
        for t in range(1, T):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + A, dim=1) + Et[t]
            alpha = torch.where(mt[t], nxt, alpha)
        log_z = torch.logsumexp(alpha + e, dim=1)
        zero = E.new_zeros(())
        emit = torch.where(mask, E.gather(2, tags.unsqueeze(2)).squeeze(2), zero).sum(1)
        trans = torch.where(mask[:, 1:], A[tags[:, :-1], tags[:, 1:]], zero).sum(1)
        gold = emit + trans + s[tags[:, 0]] + e[batch['last_tags']]
        return (log_z - gold).mean()

    def viterbi(self, batch):
        """Best tag ids [B, T] (int64), -1 at padding."""
        E = self.emissions(batch)
        A, s, e = self.scores()
        T, mask, lengths = batch['T'], batch['mask'], batch['lengths']
        Et, mt = E.transpose(0, 1), mask.t().unsqueeze(2)
        alpha = Et[0] + s
        back = []
        for t in range(1, T):
            best, arg = (alpha.unsqueeze(2) + A).max(dim=1)
            alpha = torch.where(mt[t], best + Et[t], alpha)
            back.append(arg)
        cur = (alpha + e).argmax(dim=1)
        out = torch.empty(E.shape[0], T, dtype=torch.int64)
        pad = torch.full_like(cur, -1)
        for t in range(T - 1, -1, -1):
            if t < T - 1:
                prev = back[t].gather(1, cur.unsqueeze(1)).squeeze(1)
                cur = torch.where(t < lengths - 1, prev, cur)
            out[:, t] = torch.where(t < lengths, cur, pad)
        return out


def read_raw(directory, name, dtype, shape):
    with open(os.path.join(directory, name), 'rb') as f:
        data = bytearray(f.read())
    t = torch.frombuffer(data, dtype=dtype).clone()
    return t.reshape(shape)


def load(directory):
    with open(os.path.join(directory, 'manifest.json')) as f:
        m = json.load(f)
    sizes = m['sizes']
    params = {k: read_raw(directory, v['file'], torch.float32, v['shape']) for k, v in m['params'].items()}
    batches = []
    for b in m['batches']:
        B, T = b['B'], b['T']
        words = read_raw(directory, b['wordIds'], torch.int32, (B, T)).long()
        tags = read_raw(directory, b['tagIds'], torch.int32, (B, T)).long()
        lengths = read_raw(directory, b['lengths'], torch.int32, (B,)).long()
        mask = torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)
        tags = torch.where(mask, tags, torch.zeros_like(tags))
        last = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
        batches.append({'B': B, 'T': T, 'words': words, 'tags': tags, 'lengths': lengths, 'mask': mask, 'last_tags': last})

    def build(layout):
        """A model at ladtl's initial weights and a fresh Adam."""
        model = TorchTagger(sizes['vocab'], sizes['wordDim'], sizes['hidden'], sizes['numTags'], sizes['dropout'], m.get('constraints'), layout)
        model.load_ladtl(params)
        trainable = [p for p in model.parameters() if p.requires_grad]
        return model, torch.optim.Adam(trainable, lr=sizes['learningRate'], betas=(0.9, 0.999), eps=1e-8)

    torch.manual_seed(m.get('seed', 1))
    return build, batches


def rss_mib():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2 ** 20


LSTM_LAYOUTS = {
    'packed': 'one nn.LSTM(bidirectional=True, batch_first=True) on pack_padded_sequence(enforce_sorted=False)',
    'reversed': 'two nn.LSTM(batch_first=True) on the padded batch, the backward one on each sentence reversed within its length (gather), outputs masked',
}


def main():
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    out = sys.stdout
    # Keep the protocol channel clean: anything else printed goes to stderr.
    sys.stdout = sys.stderr
    directory = sys.argv[1]
    build, batches = load(directory)
    # One model (and Adam) per LSTM layout, all at ladtl's initial weights; `use` picks the one the
    # other requests run, `reset` rebuilds them all.
    models = {layout: build(layout) for layout in LAYOUTS}
    active = ['packed']

    def train(n, i):
        model, optimizer = models[active[0]]
        model.train()
        loss = None
        t0 = time.perf_counter()
        for k in range(n):
            optimizer.zero_grad(set_to_none=True)
            loss = model.nll(batches[(i + k) % len(batches)])
            loss.backward()
            optimizer.step()
        v = loss.item()
        del loss  # the last step's graph is freed inside the timed region, as the others' are
        return time.perf_counter() - t0, v

    def decode(n, i):
        model = models[active[0]][0]
        model.eval()
        t0 = time.perf_counter()
        with torch.no_grad():
            for k in range(n):
                model.viterbi(batches[(i + k) % len(batches)])
        return time.perf_counter() - t0

    model0 = models['packed'][0]
    info = {
        'torch': torch.__version__,
        'python': sys.version.split()[0],
        'threads': torch.get_num_threads(),
        'interopThreads': torch.get_num_interop_threads(),
        'env': {k: os.environ.get(k) for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE')},
        'blas': blas_info(),
        'addmm15x100x400us': addmm_us(),
        'trainableParameters': sum(p.numel() for p in model0.parameters() if p.requires_grad),
        'setupRssMiB': rss_mib(),
        'layouts': LSTM_LAYOUTS,
    }
    out.write('ready ' + json.dumps(info) + '\n')
    out.flush()
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd = words[0]
        try:
            args = [int(w) for w in words[1:]] if cmd != 'use' else words[1:]
            model = models[active[0]][0]
            if cmd == 'train':
                secs, v = train(args[0], args[1])
                reply = 'ok %r %r' % (secs, v)
            elif cmd == 'decode':
                reply = 'ok %r' % decode(args[0], args[1])
            elif cmd == 'loss':
                model.eval()
                with torch.no_grad():
                    reply = 'ok %r' % model.nll(batches[args[0]]).item()
            elif cmd == 'paths':
                model.eval()
                with torch.no_grad():
                    tags = model.viterbi(batches[args[0]])
                reply = 'ok ' + ' '.join(str(v) for v in tags.reshape(-1).tolist())
            elif cmd == 'use':
                if args[0] not in models:
                    raise ValueError('unknown layout %r' % args[0])
                active[0] = args[0]
                reply = 'ok'
            elif cmd == 'reset':
                models = {layout: build(layout) for layout in LAYOUTS}
                torch.manual_seed(1)
                reply = 'ok'
            elif cmd == 'ping':
                reply = 'ok'
            elif cmd == 'stats':
                reply = 'ok ' + json.dumps({'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'rssMiB': rss_mib()})
            elif cmd == 'quit':
                break
            else:
                raise ValueError('unknown request %r' % line.strip())
        except Exception as err:  # answer rather than leave the caller waiting
            out.write('error %s: %s\n' % (type(err).__name__, str(err).replace('\n', ' ')))
            out.flush()
            raise
        out.write(reply + '\n')
        out.flush()


if __name__ == '__main__':
    main()
