r"""The dense and sparse models of P1 §5 / App. D (Baykal et al. 2022), P1-EXPERIMENTS.md §2.

One estimator contract (scikit-learn's: ``__init__`` stores, ``fit`` validates and sets
trailing-underscore attributes, ``predict`` checks it is fitted):

* :class:`DenseRandomFeatures` — :math:`\hat y=a^\top\mathrm{relu}(B^\top x+b)+c` with a
  frozen random bottom layer ``B`` (``dim x n_hidden``) and a trained top layer ``a, c``.
* :class:`TopKDSM` — the same features, masked per input to the ``n_active`` largest
  (P1's data-dependent sparse model, "Top-K DSM").
* :class:`RandomHashSparse` — the same features, masked per input to ``n_active`` units
  chosen by a hash of the rounded projected input (App. D.1's random hash; nearby inputs
  get unrelated masks).
* :class:`LSHModel` — ``n_tables`` sign-pattern hyperplane LSH tables of ``n_bits``
  hyperplanes each (central SimHash, or through random offsets), or Euclidean LSH
  (:class:`pactools.lsh.EuclideanLSH`), with one trained scalar per bucket; the prediction
  is the sum over tables (P1's :math:`\mathsf{LSH}(d,s,m)` with :math:`\Delta=0`).

The bottom layer is Glorot-uniform, :math:`U(-\ell,\ell)` with :math:`\ell=\sqrt{6/(d+T)}`,
with a **zero** bias by default (Keras' ``Dense`` defaults; P1 says only
"random-initialized, non-trainable", L166).  ``bias="uniform"`` draws the bias from
:math:`U(\pm\ell\sqrt{8/3})`, the ablation that removes the zero-bias floor
(:func:`pactools.bounds.zero_bias_floor_hypercube`).

Two top-layer solvers:

* ``solver="lstsq"`` (default): exact least squares.  The Gram matrix of the features
  with a ones column is accumulated over row chunks in float64 (``dsyrk``: the features
  are never held for all samples at once), then :math:`(G+\lambda\,\mathrm{tr}(G)/(T+1)\,I)w=r`
  is solved by Cholesky with ``ridge`` :math:`=\lambda` (``1e-8``: zero-bias ReLU
  features are nearly collinear); ``ridge=0`` gives the minimum-norm solution of the
  normal equations (eigendecomposition, small eigenvalues cut at the float64 round-off
  of ``G``), which is also the fallback when Cholesky fails.
* ``solver="rmsprop"``: the paper's training (L425), Keras' ``RMSprop`` on the MSE loss:
  :math:`m\leftarrow\rho m+(1-\rho)g^2`, :math:`w\leftarrow w-\eta g/(\sqrt m+\epsilon)`,
  ``learning_rate`` 1e-5, :math:`\rho=0.9`, :math:`\epsilon=10^{-7}`, ``batch_size`` 32,
  ``epochs`` 50, the top layer Glorot-uniform initialised (``c = 0``), the samples
  shuffled every epoch; the frozen features are computed once (float32) and the steps
  run with BLAS pinned to one thread (32-row products are ~17x slower on two threads,
  P1-EXPERIMENTS.md §8.1).

FLOPs: ``flops_`` is the paper's count :math:`2K(d+1)` per example (Table 1: ``K``
active units, the router not counted); ``flops_total_`` also counts the routing
(all ``T`` pre-activations and the selection for Top-K; the projection and hashes for the
random hash).  ``n_params_`` counts every parameter, frozen or trained (the paper's
"more parameters" of wider sparse models); ``n_trainable_`` the trained ones.

Memory is estimated before every large allocation (:class:`~pactools.MemoryBudgetError`
names the need and the budget; ``max_bytes`` raises it).
"""
from __future__ import annotations

import numbers

import numpy as np

from ._estimator import RegressorMixin
from ._validation import NotFittedError, check_int, check_real
from ._validation import check_data as _check_data
from ._validation import check_memory as _check_memory
from .fourier import _blas_single_thread

__all__ = ["DenseRandomFeatures", "TopKDSM", "RandomHashSparse", "LSHModel", "glorot_uniform",
           "splitmix64"]

_SOLVERS = ("lstsq", "rmsprop")
_BIASES = ("zeros", "uniform")
#: features of one chunk of rows: at most 8 MiB.  A chunk's temporaries (pre-activations,
#: scores, masks) then stay well below glibc's largest mmap threshold (32 MiB), so they are
#: reused from the heap; at 64 MiB every chunk's arrays were fresh mappings whose huge pages
#: the kernel zeroed on first touch: 2.2-2.5 s of system time in P1 Table 1's and
#: Figure 2's quick runs (13.4 -> 10.7 s and 22.1 -> 19.8 s of CPU)
_CHUNK_BYTES = 8 * 2**20


def glorot_uniform(fan_in, fan_out, rng):
    r"""A ``(fan_in, fan_out)`` matrix with i.i.d. :math:`U(\pm\sqrt{6/(\mathrm{fan_{in}}+\mathrm{fan_{out}})})` entries (Keras' default kernel)."""
    fan_in, fan_out = check_int("fan_in", fan_in, low=1), check_int("fan_out", fan_out, low=1)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def splitmix64(keys):
    """The splitmix64 finaliser of uint64 ``keys`` (vectorised; wraps modulo 2**64)."""
    k = np.asarray(keys)
    if not np.issubdtype(k.dtype, np.integer):
        raise ValueError(f"keys must be integers (uint64, or int64 read modulo 2**64); got "
                         f"dtype {k.dtype}")
    return _splitmix64(k.astype(np.uint64, copy=True))


def _splitmix64(z):
    """splitmix64 of a uint64 array, in place; returns it."""
    from .lsh import _avalanche
    with np.errstate(over="ignore"):
        z += np.uint64(0x9E3779B97F4A7C15)
    return _avalanche(z)


def check_memory(n_bytes, what, max_bytes=None):
    return _check_memory(n_bytes, what, max_bytes,
                         hint="or a smaller n_hidden, n_tables or sample")


def _rmsprop_update(w, g, ms, lr, rho, eps):
    """Keras RMSprop, in place: ``ms <- rho ms + (1 - rho) g^2``, ``w <- w - lr g / (sqrt(ms) + eps)``."""
    ms *= rho
    ms += (1 - rho) * g * g
    w -= lr * g / (np.sqrt(ms) + eps)


def _check_choice(name, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def _chunk_rows(n_hidden, chunk_size):
    """Rows per chunk: ``chunk_size``, fewer if the chunk's features exceed 8 MiB."""
    return max(1, min(chunk_size, _CHUNK_BYTES // (8 * (n_hidden + 1))))


class _TopLayer(RegressorMixin):
    """Fitting and prediction of ``a . features(x) + c`` for any frozen ``features``."""

    def _check_solver(self):
        _check_choice("solver", self.solver, _SOLVERS)
        check_real("ridge", self.ridge, low=0.0)
        check_int("chunk_size", self.chunk_size, low=1)
        if self.solver == "rmsprop":
            check_real("learning_rate", self.learning_rate, low=0.0, low_open=True)
            check_int("batch_size", self.batch_size, low=1)
            check_int("epochs", self.epochs, low=1)
            check_real("rho", self.rho, low=0.0, high=1.0, high_open=True)
            check_real("epsilon", self.epsilon, low=0.0, low_open=True)

    def _fit_top(self, X, y, rng):
        T = self._n_features()
        if self.solver == "lstsq":
            check_memory(8 * (T + 1) ** 2 * 3, f"the ({T + 1} x {T + 1}) Gram matrix of "
                         f"{type(self).__name__}", self.max_bytes)
            w = self._lstsq(X, y)
            self.coef_, self.intercept_ = w[:T], float(w[T])
            self.n_iter_ = 0
        else:
            self._rmsprop(X, y, rng)
        return self

    def _lstsq(self, X, y):
        from scipy.linalg import blas, cho_factor, cho_solve, LinAlgError
        T = self._n_features()
        G = np.zeros((T, T), order="F")
        r = np.zeros(T + 1)
        sums = np.zeros(T)
        rows = _chunk_rows(T, self.chunk_size)
        for start in range(0, X.shape[0], rows):
            H = self._features(X[start:start + rows])
            yc = y[start:start + rows]
            G = blas.dsyrk(1.0, H.T, beta=1.0, c=G, trans=0, lower=0, overwrite_c=1)
            sums += H.sum(axis=0)
            r[:T] += yc @ H
            r[T] += yc.sum()
        G = np.triu(G) + np.triu(G, 1).T
        # the ones column of the intercept, appended: [[H'H, H'1], [1'H, n]]
        G = np.block([[G, sums[:, None]], [sums[None, :], np.array([[float(X.shape[0])]])]])
        self.gram_trace_ = float(np.trace(G))
        if self.ridge > 0:
            A = G + (self.ridge * self.gram_trace_ / (T + 1)) * np.eye(T + 1)
            try:
                return cho_solve(cho_factor(A, lower=False, check_finite=False), r)
            except LinAlgError:
                pass
        vals, vecs = np.linalg.eigh(G)
        keep = vals > max(float(vals[-1]), 0.0) * (T + 1) * np.finfo(np.float64).eps
        return vecs[:, keep] @ ((vecs[:, keep].T @ r) / vals[keep])

    def _rmsprop(self, X, y, rng):
        N, T = X.shape[0], self._n_features()
        K = getattr(self, "n_active_", T)
        sparse = 6 * K < 4 * T         # (int16/int32 index, float32 value) pairs are smaller
        rows = _chunk_rows(T, self.chunk_size)
        if sparse:
            itype = np.int16 if T <= np.iinfo(np.int16).max else np.int32
            check_memory(N * K * (4 + np.dtype(itype).itemsize), f"the active features "
                         f"({N} x {K} index and float32 value pairs) that RMSProp reuses every "
                         "epoch", self.max_bytes)
            I, V = np.empty((N, K), dtype=itype), np.empty((N, K), dtype=np.float32)
            for start in range(0, N, rows):
                I[start:start + rows], V[start:start + rows] = \
                    self._sparse_features(X[start:start + rows])
        else:
            check_memory(4 * N * T, f"the float32 features ({N} x {T}) that RMSProp reuses "
                         "every epoch", self.max_bytes)
            H = np.empty((N, T), dtype=np.float32)
            for start in range(0, N, rows):
                H[start:start + rows] = self._features(X[start:start + rows])
        a = glorot_uniform(T, 1, rng)[:, 0]
        c, ms_a, ms_c = np.zeros(1), np.zeros(T), np.zeros(1)
        lr, rho, eps, B = self.learning_rate, self.rho, self.epsilon, self.batch_size
        with _blas_single_thread():
            for _ in range(self.epochs):
                order = rng.permutation(N)
                for start in range(0, N, B):
                    idx = order[start:start + B]
                    if sparse:
                        Ib, Vb = I[idx], V[idx].astype(np.float64)
                        err = np.einsum("ij,ij->i", Vb, a[Ib]) + c - y[idx]
                        g_a = np.bincount(Ib.reshape(-1), weights=(Vb * err[:, None]).reshape(-1),
                                          minlength=T) * (2.0 / idx.size)
                    else:
                        Hb = H[idx].astype(np.float64)
                        err = Hb @ a + c - y[idx]
                        g_a = (2.0 / idx.size) * (err @ Hb)
                    g_c = (2.0 / idx.size) * err.sum(keepdims=True)
                    _rmsprop_update(a, g_a, ms_a, lr, rho, eps)
                    _rmsprop_update(c, g_c, ms_c, lr, rho, eps)
        self.coef_, self.intercept_ = a, float(c[0])
        self.n_iter_ = self.epochs * (-(-N // B))

    def predict(self, X):
        """Predictions for the rows of ``X`` (computed in chunks)."""
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call "
                                 "fit(X, y) first")
        X = _check_data(X, dim=self.n_features_in_, estimator=type(self).__name__, fitting=False)
        out = np.empty(X.shape[0])
        rows = _chunk_rows(self._n_features(), self.chunk_size)
        for start in range(0, X.shape[0], rows):
            out[start:start + rows] = self._features(X[start:start + rows]) @ self.coef_
        return out + self.intercept_

    def features(self, X):
        """The frozen features of the rows of ``X`` (masked hidden activations), shape
        ``(n_samples, n_features)``."""
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call "
                                 "fit(X, y) first")
        X = _check_data(X, dim=self.n_features_in_, estimator=type(self).__name__, fitting=False)
        check_memory(8 * X.shape[0] * self._n_features(), "the features", self.max_bytes)
        return self._features(X)


class _RandomFeatures(_TopLayer):
    """Shared by the dense, Top-K and random-hash models: ``mask(x) * relu(x B + b)``."""

    _param_names = ("n_hidden", "n_active", "sparsity", "bias", "solver", "ridge",
                    "learning_rate", "batch_size", "epochs", "rho", "epsilon", "chunk_size",
                    "max_bytes", "rng")
    _routed = True

    def __init__(self, n_hidden=1024, n_active=None, *, sparsity=None, bias="zeros",
                 solver="lstsq", ridge=1e-8, learning_rate=1e-5, batch_size=32, epochs=50,
                 rho=0.9, epsilon=1e-7, chunk_size=4096, max_bytes=None, rng=None):
        self.n_hidden = n_hidden
        self.n_active = n_active
        self.sparsity = sparsity
        self.bias = bias
        self.solver = solver
        self.ridge = ridge
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.rho = rho
        self.epsilon = epsilon
        self.chunk_size = chunk_size
        self.max_bytes = max_bytes
        self.rng = rng

    def _resolve_active(self):
        T = check_int("n_hidden", self.n_hidden, low=1)
        if not self._routed:
            if self.n_active is not None or self.sparsity is not None:
                raise ValueError(f"{type(self).__name__} has every unit active: give neither "
                                 f"n_active nor sparsity; got n_active={self.n_active!r}, "
                                 f"sparsity={self.sparsity!r}")
            return T, T
        if (self.n_active is None) == (self.sparsity is None):
            raise ValueError(f"give exactly one of n_active (in [1, n_hidden={T}]) and sparsity "
                             f"(in (0, 1]); got n_active={self.n_active!r}, "
                             f"sparsity={self.sparsity!r}")
        if self.n_active is not None:
            return T, check_int("n_active", self.n_active, low=1, high=T)
        s = check_real("sparsity", self.sparsity, low=0.0, high=1.0, low_open=True)
        K = s * T
        if abs(K - round(K)) > 1e-9 * T or round(K) < 1:
            raise ValueError(f"sparsity * n_hidden must be a positive integer (the active "
                             f"units); got sparsity={s!r} with n_hidden={T} ({K!r} units)")
        return T, int(round(K))

    def fit(self, X, y):
        """Draw the bottom layer (and router), then fit the top layer; returns ``self``."""
        X, y = _check_data(X, y, estimator=type(self).__name__)
        T, K = self._resolve_active()
        _check_choice("bias", self.bias, _BIASES)
        self._check_solver()
        if self.max_bytes is not None:
            check_int("max_bytes", self.max_bytes, low=1)
        rng = np.random.default_rng(self.rng)
        d = X.shape[1]
        check_memory(8 * d * T * 2, f"the ({d} x {T}) bottom layer", self.max_bytes)
        self.n_features_in_, self.n_hidden_, self.n_active_ = d, T, K
        self.weights_ = glorot_uniform(d, T, rng)
        limit = np.sqrt(6.0 / (d + T)) * np.sqrt(8.0 / 3.0)
        self.bias_ = (np.zeros(T) if self.bias == "zeros"
                      else rng.uniform(-limit, limit, size=T))
        self._draw_router(rng)
        self.flops_ = 2 * K * (d + 1)
        self.flops_total_ = self._routing_flops() + 2 * K * (d + 1)
        self.n_trainable_ = T + 1
        self.n_params_ = d * T + T + (T + 1) + self._router_params()
        return self._fit_top(X, y, rng)

    def _n_features(self):
        return self.n_hidden_

    def _draw_router(self, rng):
        pass

    def _routing_flops(self):
        return 0

    def _router_params(self):
        return 0

    def _preactivations(self, X):
        with _blas_single_thread():   # a product over d = X.shape[1] terms: a second BLAS
            Z = X @ self.weights_     # thread gains nothing, then spins and slows what follows
        Z += self.bias_
        return Z

    def _scores(self, X, Z):
        """The per-unit scores whose ``n_active`` largest are kept (routed models)."""
        raise NotImplementedError

    def _active(self, X, Z):
        """Indices ``(n_samples, n_active)`` of each row's active units."""
        K, T = self.n_active_, self.n_hidden_
        return np.argpartition(self._scores(X, Z), T - K, axis=1)[:, T - K:]

    def _features(self, X):
        Z = self._preactivations(X)
        K, T = self.n_active_, self.n_hidden_
        if K < T:       # threshold at the K-th largest score (ties have probability 0)
            score = self._scores(X, Z)
            kth = np.partition(score, T - K, axis=1)[:, T - K:T - K + 1]
            if score is Z:          # Top-K: keep z >= max(kth, 0), the ReLU in the same pass
                np.maximum(kth, 0.0, out=kth)
            else:
                np.maximum(Z, 0.0, out=Z)
            Z *= score >= kth
            return Z
        return np.maximum(Z, 0.0, out=Z)

    def _sparse_features(self, X):
        """``(indices, values)`` of the active units, each ``(n_samples, n_active)``."""
        Z = self._preactivations(X)
        keep = self._active(X, Z)
        return keep, np.maximum(np.take_along_axis(Z, keep, axis=1), 0.0)


class DenseRandomFeatures(_RandomFeatures):
    r"""A dense model of P1 §5: :math:`\hat y=a^\top\mathrm{relu}(B^\top x+b)+c`, every unit active.

    Parameters
    ----------
    n_hidden : int
        Width ``T`` (P1's ``t`` for the dense column of Table 1).
    bias : {"zeros", "uniform"}
        The frozen bottom bias: zero (Keras' default, the paper's reading) or
        :math:`U(\pm\ell\sqrt{8/3})`.
    solver : {"lstsq", "rmsprop"}
        Exact least squares, or the paper's RMSProp (see the module docstring).
    ridge : float, default 1e-8
        Relative ridge :math:`\lambda` of the least-squares solve; 0 for minimum norm.
    learning_rate, batch_size, epochs, rho, epsilon
        RMSProp's settings (Keras defaults and P1 L425's learning rate and epochs).
    chunk_size : int
        Rows per chunk when features are built (fewer if a chunk exceeds 8 MiB).
    max_bytes : int, optional
        Memory budget of the largest allocation (default 4 GiB).
    rng : int, Generator or None
        Draws the bottom layer, the router, the top-layer initialisation and the batch
        order.

    Attributes
    ----------
    weights_, bias_ : the frozen bottom layer (``dim x n_hidden``) and bias.
    coef_, intercept_ : the trained top layer.
    n_hidden_, n_active_, n_features_in_, flops_, flops_total_, n_params_, n_trainable_

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(2000, 3)); y = np.abs(X[:, 0])
    >>> m = DenseRandomFeatures(64, rng=0).fit(X, y)
    >>> m.flops_, m.n_trainable_
    (512, 65)
    >>> bool(np.mean((m.predict(X) - y) ** 2) < 0.01)
    True
    """

    _routed = False

    def __init__(self, n_hidden=1024, *, bias="zeros", solver="lstsq", ridge=1e-8,
                 learning_rate=1e-5, batch_size=32, epochs=50, rho=0.9, epsilon=1e-7,
                 chunk_size=4096, max_bytes=None, rng=None):
        super().__init__(n_hidden, None, bias=bias, solver=solver, ridge=ridge,
                         learning_rate=learning_rate, batch_size=batch_size, epochs=epochs,
                         rho=rho, epsilon=epsilon, chunk_size=chunk_size,
                         max_bytes=max_bytes, rng=rng)

    _param_names = tuple(p for p in _RandomFeatures._param_names
                         if p not in ("n_active", "sparsity"))


class TopKDSM(_RandomFeatures):
    r"""P1's Top-K data-dependent sparse model: the ``n_active`` largest activations of ``n_hidden``.

    :math:`\hat y=a^\top(m(x)\circ\mathrm{relu}(B^\top x+b))+c` with :math:`m(x)_j=1` for the
    ``K`` largest pre-activations :math:`(B^\top x+b)_j` (the same units as the ``K``
    largest activations up to ties at zero, which do not change the output; P1 L98, L166).
    Give ``n_active`` (``K`` in ``[1, n_hidden]``) or ``sparsity`` = ``K / n_hidden`` in
    ``(0, 1]`` (Table 1's "50 %" and "25 %").  Other parameters as
    :class:`DenseRandomFeatures`.  ``flops_total_`` = ``2 d T + T + 2 K``: every
    pre-activation, the selection and the top layer.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).uniform(-1, 1, size=(1000, 8))
    >>> m = TopKDSM(256, sparsity=0.25, rng=0).fit(X, X[:, 0] * X[:, 1])
    >>> m.n_active_, m.flops_
    (64, 1152)
    >>> int((m.features(X[:5]) > 0).sum(axis=1).max()) <= 64
    True
    """

    def _routing_flops(self):
        d, T = self.n_features_in_, self.n_hidden_
        return 2 * d * T + T - 2 * self.n_active_ * d

    def _scores(self, X, Z):
        return Z


class RandomHashSparse(_RandomFeatures):
    r"""P1 App. D.1's random-hash sparse model: ``n_active`` units chosen by a hash of the input.

    The App. D.1 code projects the input to the mask width (``q = x P`` with i.i.d.
    :math:`\mathcal N(0,1)` entries of a fixed hash draw, only when ``dim != n_hidden``),
    hashes each entry's 6-decimal string, and keeps the units whose hash is among the
    ``K`` largest.  Here the string hash is replaced by the same semantics, vectorised:
    ``key = int64(round(q * 1e6))``, ``hash = splitmix64(key ^ salt)`` (P1-EXPERIMENTS.md
    O-15).  The mask is a deterministic function of ``x`` unrelated between nearby inputs.
    Other parameters as :class:`TopKDSM`.  ``flops_total_`` = ``2 d T`` (the projection,
    when ``dim != n_hidden``) ``+ T`` (hashes) ``+ T`` (selection) ``+ 2 K (d + 1)`` (only
    the active units' features and the top layer).
    """

    def _draw_router(self, rng):
        d, T = self.n_features_in_, self.n_hidden_
        self.hash_projection_ = None if d == T else rng.standard_normal((d, T))
        self.hash_salt_ = int(rng.integers(0, 2**63 - 1))

    def _routing_flops(self):
        d, T = self.n_features_in_, self.n_hidden_
        return (0 if self.hash_projection_ is None else 2 * d * T) + 2 * T

    def _router_params(self):
        return 0 if self.hash_projection_ is None else self.hash_projection_.size

    def masks(self, X):
        """The boolean ``(n_samples, n_hidden)`` masks of the rows of ``X`` (``K`` per row)."""
        X = _check_data(X, dim=self.n_features_in_, estimator=type(self).__name__, fitting=False)
        return self._mask(X)

    def _mask(self, X):
        mask = np.zeros((X.shape[0], self.n_hidden_), dtype=bool)
        np.put_along_axis(mask, self._active(X, None), True, axis=1)
        return mask

    def _scores(self, X, Z):
        q = X.copy() if self.hash_projection_ is None else X @ self.hash_projection_
        q *= 1e6
        key = np.rint(q, out=q).astype(np.int64).view(np.uint64)
        key ^= np.uint64(self.hash_salt_)
        return _splitmix64(key)


class LSHModel(_TopLayer):
    r"""P1's LSH model: ``n_tables`` LSH tables and one trained scalar per bucket, summed.

    :math:`\hat y(x)=c+\sum_{i=1}^{s}v^{(i)}_{h_i(x)}`: each table ``i`` hashes ``x`` to a
    bucket and contributes that bucket's scalar (P1 L82, L110, L166: "a trainable scalar in
    each bucket").

    Parameters
    ----------
    n_bits : int
        Hyperplanes per table ``m`` (``2**m`` buckets per table; at most 62, so a
        bucket id fits an int64 with room for the table index).
    n_tables : int, default 1
        Tables ``s``.  "Number of buckets" of P1's Fig. 2(b) is ``s * 2**m``.
    hyperplanes : {"central", "offset", "euclidean"}
        ``"central"``: :math:`1\{a^\top x>0\}`, :math:`a\sim\mathcal N(0,I)` (SimHash;
        buckets are cones).  ``"offset"``: :math:`1\{a^\top(x-p)>0\}` with
        :math:`p\sim U([-1,1]^d)` (bounded cells).  ``"euclidean"``: a
        :class:`pactools.lsh.EuclideanLSH` of ``n_bits`` projections and
        ``bucket_width`` per table (P1 §2.2).
    bucket_width : float, optional
        Required with ``"euclidean"`` only.
    solver : {"lstsq", "rmsprop"}
        ``"lstsq"``: exact least squares on the one-hot bucket design — the bucket means
        for one table; for several tables, LSQR (:func:`scipy.sparse.linalg.lsqr`) on the
        centred targets from zero, which converges to the minimum-norm solution, so a
        bucket no training point reached stays 0 and contributes nothing.  A test point
        whose buckets were all unseen is predicted by the training mean (P1-EXPERIMENTS.md
        O-13).  ``"rmsprop"``: the paper's optimiser on the bucket scalars (initialised
        :math:`U(\pm0.05)`, Keras' embedding default), a diagnostic of under-training.
    tol : float, default 1e-10
        LSQR's ``atol`` and ``btol``.

    Attributes
    ----------
    values_ : ``(n_tables, 2**n_bits)`` bucket scalars (only seen buckets are stored for
        Euclidean tables: ``(n_tables, n_seen_max)``).
    intercept_, n_buckets_ (``s * 2**m``), n_seen_buckets_, n_active_ (``s``),
    flops_ (``2 s m (d + 1)``, the cost of a dense layer of ``s m`` units in Table 1's
    convention), flops_total_ (``2 s m d + s``), n_params_, n_trainable_.
    """

    _param_names = ("n_bits", "n_tables", "hyperplanes", "bucket_width", "solver", "tol",
                    "learning_rate", "batch_size", "epochs", "rho", "epsilon", "chunk_size",
                    "max_bytes", "rng")

    def __init__(self, n_bits=8, n_tables=1, *, hyperplanes="central", bucket_width=None,
                 solver="lstsq", tol=1e-10, learning_rate=1e-5, batch_size=32, epochs=50,
                 rho=0.9, epsilon=1e-7, chunk_size=4096, max_bytes=None, rng=None):
        self.n_bits = n_bits
        self.n_tables = n_tables
        self.hyperplanes = hyperplanes
        self.bucket_width = bucket_width
        self.solver = solver
        self.tol = tol
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.rho = rho
        self.epsilon = epsilon
        self.chunk_size = chunk_size
        self.max_bytes = max_bytes
        self.rng = rng

    ridge = 0.0          # the exact fit is unregularised (a parameter of the dense models)

    def fit(self, X, y):
        """Draw the tables, then fit the bucket scalars; returns ``self``."""
        X, y = _check_data(X, y, estimator="LSHModel")
        m = self.n_bits
        if isinstance(m, numbers.Integral) and not isinstance(m, bool) and m > 62:
            raise ValueError(f"n_bits must be an integer in [1, 62] (2**n_bits buckets per "
                             f"table need n_bits bits, and a bucket id is an int64); got {m}")
        m = check_int("n_bits", m, low=1, high=62)
        s = check_int("n_tables", self.n_tables, low=1)
        _check_choice("hyperplanes", self.hyperplanes, ("central", "offset", "euclidean"))
        _check_choice("solver", self.solver, _SOLVERS)
        check_real("tol", self.tol, low=0.0, low_open=True)
        if self.solver == "rmsprop":
            self._check_solver()
        if self.hyperplanes == "euclidean":
            check_real("bucket_width", self.bucket_width, low=0.0, low_open=True)
        elif self.bucket_width is not None:
            raise ValueError(f'bucket_width applies to hyperplanes="euclidean" only; got '
                             f'bucket_width={self.bucket_width!r} with '
                             f'hyperplanes={self.hyperplanes!r}')
        rng = np.random.default_rng(self.rng)
        N, d = X.shape
        check_memory(8 * N * s * 2, f"the bucket ids of {N} samples in {s} tables",
                     self.max_bytes)
        self.n_features_in_ = d
        if self.hyperplanes == "euclidean":
            from .lsh import EuclideanLSH
            self.hashers_ = [EuclideanLSH(d, m, self.bucket_width, rng=rng) for _ in range(s)]
            self.planes_ = self.points_ = None
        else:
            self.hashers_ = None
            self.planes_ = rng.standard_normal((s, m, d))
            self.points_ = (None if self.hyperplanes == "central"
                            else rng.uniform(-1.0, 1.0, size=(s, m, d)))
        codes = self._codes(X)                       # (N, s) int64 per-table bucket codes
        if self.hashers_ is not None:                # Euclidean: compact ids of seen buckets
            self._keys = [np.unique(codes[:, t]) for t in range(s)]
            codes = np.stack([np.searchsorted(self._keys[t], codes[:, t]) for t in range(s)],
                             axis=1)
            width = max(k.size for k in self._keys)
        else:
            width = 1 << m
        check_memory(8 * s * width, f"{s} tables of {width} bucket scalars", self.max_bytes)
        self.n_buckets_ = s * (1 << m) if self.hashers_ is None else int(
            sum(k.size for k in self._keys))
        flat = codes + width * np.arange(s)
        seen = np.zeros(s * width, dtype=bool)
        seen[flat.reshape(-1)] = True
        self.n_seen_buckets_ = int(seen.sum())
        self._width = width
        self.train_mean_ = float(y.mean())
        if self.solver == "lstsq":
            self.n_iter_ = 0
            v = self._exact(flat, y - self.train_mean_, s * width)
            self.intercept_ = self.train_mean_
        else:
            v = self._rmsprop_buckets(flat, y, s * width, rng)
        self.values_ = v.reshape(s, width)
        self._seen = seen.reshape(s, width)
        self.n_active_ = s
        self.flops_ = 2 * s * m * (d + 1)
        self.flops_total_ = 2 * s * m * d + s
        self.n_trainable_ = s * width + 1
        self.n_params_ = self.n_trainable_ + s * m * d * (2 if self.points_ is not None else 1)
        self.coef_ = self.values_          # the fitted marker of the shared contract
        return self

    def _codes(self, X):
        s, m = self.n_tables, self.n_bits
        out = np.empty((X.shape[0], s), dtype=np.int64)
        if self.hashers_ is not None:
            from .lsh import _mix_rows
            for t, h in enumerate(self.hashers_):
                out[:, t] = _mix_rows(h.hash(X)).view(np.int64)
            return out
        weights = np.int64(1) << np.arange(m, dtype=np.int64)
        with _blas_single_thread():
            for t in range(s):                 # a loop over tables, vectorised over points
                P = X @ self.planes_[t].T
                if self.points_ is not None:
                    P -= np.einsum("md,md->m", self.planes_[t], self.points_[t])
                out[:, t] = (P > 0) @ weights
        return out

    def _exact(self, flat, yc, n_unknowns):
        s = flat.shape[1]
        if s == 1:
            counts = np.bincount(flat[:, 0], minlength=n_unknowns)
            sums = np.bincount(flat[:, 0], weights=yc, minlength=n_unknowns)
            return np.divide(sums, counts, out=np.zeros(n_unknowns), where=counts > 0)
        from scipy.sparse import csr_matrix
        from scipy.sparse.linalg import lsqr
        N = flat.shape[0]
        A = csr_matrix((np.ones(N * s), flat.reshape(-1), np.arange(0, N * s + 1, s)),
                       shape=(N, n_unknowns))
        out = lsqr(A, yc, atol=self.tol, btol=self.tol, iter_lim=20 * n_unknowns)
        self.n_iter_ = int(out[2])
        return out[0]

    def _rmsprop_buckets(self, flat, y, n_unknowns, rng):
        N, s = flat.shape
        v = rng.uniform(-0.05, 0.05, size=n_unknowns)
        c, ms_v, ms_c = np.zeros(1), np.zeros(n_unknowns), np.zeros(1)
        lr, rho, eps, B = self.learning_rate, self.rho, self.epsilon, self.batch_size
        for _ in range(self.epochs):
            order = rng.permutation(N)
            for start in range(0, N, B):
                idx = order[start:start + B]
                f = flat[idx]
                err = v[f].sum(axis=1) + c - y[idx]
                g = np.bincount(f.reshape(-1), weights=np.repeat(err, s),
                                minlength=n_unknowns) * (2.0 / idx.size)
                g_c = (2.0 / idx.size) * err.sum(keepdims=True)
                _rmsprop_update(v, g, ms_v, lr, rho, eps)
                _rmsprop_update(c, g_c, ms_c, lr, rho, eps)
        self.intercept_ = float(c[0])
        self.n_iter_ = self.epochs * (-(-N // B))
        return v

    def _n_features(self):
        return self.n_tables * self._width

    def predict(self, X, *, return_hit=False):
        """Predictions; with ``return_hit=True`` also whether some table's bucket was seen
        in training (a point with no seen bucket gets the training mean)."""
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LSHModel is not fitted yet; call fit(X, y) first")
        X = _check_data(X, dim=self.n_features_in_, estimator="LSHModel", fitting=False)
        codes = self._codes(X)
        s, width = self.n_tables, self._width
        seen = np.zeros(codes.shape, dtype=bool)
        if self.hashers_ is not None:
            for t in range(s):
                pos = np.clip(np.searchsorted(self._keys[t], codes[:, t]), 0,
                              self._keys[t].size - 1)
                seen[:, t] = self._keys[t][pos] == codes[:, t]
                codes[:, t] = pos
        else:
            seen = self._seen[np.arange(s), codes]
        vals = np.where(seen, self.values_[np.arange(s), codes], 0.0)
        hit = seen.any(axis=1)
        out = np.where(hit, self.intercept_ + vals.sum(axis=1), self.train_mean_)
        return (out, hit) if return_hit else out

    def features(self, X):
        raise AttributeError("LSHModel has no dense features; its design is the one-hot "
                             "bucket indicator of each table")
