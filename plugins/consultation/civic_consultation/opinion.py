"""Opinion groups and bridging from the vote matrix (pure: numpy only, no Django).

The method follows the idea of Pol.is (Small et al., "Polis: Scaling Deliberation by Mapping
High Dimensional Opinion Spaces", 2021): participants are rows of a sparse participant ×
proposal matrix (agree +1, disagree -1, neutral 0, missing unknown), projected on the first two
principal components, and clustered with k-means; the number of groups is the one whose
clustering has the best silhouette. docs/consultation-opinion-groups.md explains each choice.

Everything here works on the observed votes only (a few per participant): the matrix is never
made dense, so a consultation of a million participants fits in memory.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np

# Stored with each run so that a change of method is visible in the results.
ALGORITHM_VERSION = "pca2-kmeans-silhouette-1"
AGREE, DISAGREE, NEUTRAL = 1, -1, 0
DIRECTION_AGREE, DIRECTION_DISAGREE = "agree", "disagree"


@dataclass(frozen=True)
class Parameters:
    # Participants with fewer votes are left out of the groups (their position is noise).
    min_votes: int = 5
    # Below this many participants no groups are computed.
    min_participants: int = 30
    max_groups: int = 5
    # A group must have seen a proposal this many times for its rates to count.
    min_group_votes: int = 5
    representative_count: int = 5
    # The previous number of groups is kept unless another does better by this silhouette.
    switch_margin: float = 0.02
    # Silhouette is quadratic in the points: it is measured on a fixed sample.
    silhouette_sample: int = 2000
    # k-means fits its centroids on this many points at most.
    kmeans_sample: int = 20_000
    kmeans_restarts: int = 4
    seed: int = 20_211


@dataclass(frozen=True)
class PreviousGroup:
    """A group of the previous run, described by its votes per proposal (no membership)."""

    number: int
    proposal_ids: np.ndarray
    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray


@dataclass
class Representative:
    proposal_id: int
    direction: str
    # Smoothed rate of the direction in the group, and its ratio to the rest of participants.
    rate: float
    ratio: float


@dataclass
class Group:
    number: int
    size: int
    centroid: tuple
    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray
    representatives: list = field(default_factory=list)


@dataclass
class Result:
    participants: int
    # Who is in which group, for the caller's own use in memory (quality measures): the
    # plugin stores and publishes group totals only.
    placed_ids: np.ndarray
    membership: np.ndarray
    votes: int
    proposal_ids: np.ndarray
    k: int
    silhouette: float
    silhouette_by_k: dict
    groups: list
    # Per proposal (aligned with proposal_ids): the lowest smoothed agree rate over the groups,
    # NaN where a group has not seen the proposal often enough.
    bridging: np.ndarray


def compute(participant_ids, proposal_ids, values, previous=(), parameters=Parameters()):
    """Opinion groups of the votes given as three aligned arrays; None when there are too few
    participants with enough votes, or when their votes cannot be told apart."""
    participant_ids = np.asarray(participant_ids, dtype=np.int64)
    proposal_ids = np.asarray(proposal_ids, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    if not (participant_ids.shape == proposal_ids.shape == values.shape):
        raise ValueError("participant_ids, proposal_ids and values must have the same length")
    if values.size and not np.isin(values, (AGREE, DISAGREE, NEUTRAL)).all():
        raise ValueError("values must be 1 (agree), -1 (disagree) or 0 (neutral)")

    _, voter, votes_per_voter = np.unique(participant_ids, return_inverse=True, return_counts=True)
    kept = votes_per_voter[voter] >= parameters.min_votes
    placed_ids, rows = np.unique(participant_ids[kept], return_inverse=True)
    columns_ids, columns = np.unique(proposal_ids[kept], return_inverse=True)
    values = values[kept]
    n_rows, n_columns = (rows.max() + 1 if rows.size else 0), columns_ids.size
    if n_rows < max(parameters.min_participants, 3):
        return None

    # Missing votes take the proposal's mean: after centring they are zeros, so the centred
    # matrix keeps the sparsity of the votes.
    column_votes = np.bincount(columns, minlength=n_columns)
    column_mean = np.bincount(columns, weights=values, minlength=n_columns) / column_votes
    centred = values - column_mean[columns]
    matrix = _Sparse(rows, columns, centred, n_rows, n_columns)

    components = _principal_components(matrix, 2, np.random.default_rng(parameters.seed))
    row_votes = np.bincount(rows, minlength=n_rows)
    # Pol.is scaling: a participant with few votes sits near the centre only for lack of
    # votes; stretching by sqrt(proposals / votes) puts them where their votes point.
    coordinates = matrix.dot(components.T) * np.sqrt(n_columns / row_votes)[:, None]

    sample = _sample(n_rows, parameters.silhouette_sample, np.random.default_rng(parameters.seed))
    # No more groups than distinct positions (identical voters cannot be told apart).
    positions = len(np.unique(coordinates.round(9), axis=0))
    candidates = range(2, min(parameters.max_groups, n_rows - 1, positions) + 1)
    if not candidates:
        return None
    clusterings = {k: _kmeans(coordinates, k, parameters) for k in candidates}
    points = coordinates[sample]
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    silhouette_by_k = {
        k: _silhouette(distances, labels[sample], k) for k, (labels, _) in clusterings.items()
    }
    chosen = _choose_k(silhouette_by_k, len(previous), parameters.switch_margin)
    labels, centroids = clusterings[chosen]
    # A centre every participant left behind is no group: drop it.
    used = np.flatnonzero(np.bincount(labels, minlength=chosen))
    labels, centroids, k = np.searchsorted(used, labels), centroids[used], used.size
    if k < 2:
        return None

    agree, disagree, seen = _group_counts(labels[rows], columns, values, k, n_columns)
    numbers = _numbers(agree, disagree, seen, columns_ids, previous, np.bincount(labels, None, k))
    groups = [
        Group(
            number=numbers[g],
            size=int((labels == g).sum()),
            centroid=(float(centroids[g, 0]), float(centroids[g, 1])),
            agree=agree[g],
            disagree=disagree[g],
            seen=seen[g],
        )
        for g in range(k)
    ]
    _add_representatives(groups, columns_ids, parameters)
    groups.sort(key=lambda group: group.number)
    return Result(
        participants=int(n_rows),
        placed_ids=placed_ids,
        membership=np.array(numbers)[labels],
        votes=int(values.size),
        proposal_ids=columns_ids,
        k=k,
        silhouette=silhouette_by_k[chosen],
        silhouette_by_k=silhouette_by_k,
        groups=groups,
        bridging=bridging_scores(agree, seen, parameters.min_group_votes),
    )


def laplace_rate(count, seen):
    """Share of ``seen`` votes going one way, with one pseudo-vote each way (Laplace): 1/2
    with no votes, never exactly 0 or 1."""
    return (count + 1.0) / (seen + 2.0)


def bridging_scores(agree, seen, min_group_votes):
    """Per proposal, the smoothed agree rate of the least convinced group.

    The minimum (rather than Pol.is's product of rates) reads directly as "at least this share
    agrees in every group" and does not shrink as the number of groups grows, so scores stay
    comparable between runs. A proposal some group has barely seen gets NaN: unknown, not bad.
    """
    scores = laplace_rate(agree, seen).min(axis=0)
    scores[(seen < min_group_votes).any(axis=0)] = np.nan
    return scores


class _Sparse:
    """The centred vote matrix as coordinates: products by bincount, never densified."""

    def __init__(self, rows, columns, values, n_rows, n_columns):
        self.rows, self.columns, self.values = rows, columns, values
        self.shape = (n_rows, n_columns)

    def dot(self, dense):
        """self @ dense, dense of shape (n_columns, c)."""
        return np.column_stack(
            [
                np.bincount(self.rows, self.values * dense[self.columns, c], self.shape[0])
                for c in range(dense.shape[1])
            ]
        )

    def tdot(self, dense):
        """self.T @ dense, dense of shape (n_rows, c)."""
        return np.column_stack(
            [
                np.bincount(self.columns, self.values * dense[self.rows, c], self.shape[1])
                for c in range(dense.shape[1])
            ]
        )


def _principal_components(matrix, count, rng, oversampling=6, iterations=4):
    """Top right singular vectors of the (already centred) matrix by randomized subspace
    iteration (Halko, Martinsson, Tropp 2011), with a deterministic sign."""
    width = min(count + oversampling, matrix.shape[1])
    basis, _ = np.linalg.qr(matrix.dot(rng.standard_normal((matrix.shape[1], width))))
    for _ in range(iterations):
        right, _ = np.linalg.qr(matrix.tdot(basis))
        basis, _ = np.linalg.qr(matrix.dot(right))
    _, _, vt = np.linalg.svd(matrix.tdot(basis).T, full_matrices=False)
    components = vt[:count]
    if components.shape[0] < count:
        components = np.vstack([components, np.zeros((count - components.shape[0], vt.shape[1]))])
    # The sign of a singular vector is arbitrary: make its largest entry positive so that the
    # map does not flip between two runs on the same votes.
    signs = np.sign(components[np.arange(count), np.abs(components).argmax(axis=1)])
    return components * np.where(signs == 0, 1, signs)[:, None]


def _sample(n_rows, size, rng):
    """A fixed-size random subset of the row indexes (all of them when there are few)."""
    if n_rows <= size:
        return np.arange(n_rows)
    return np.sort(rng.choice(n_rows, size, replace=False))


def _kmeans(points, k, parameters, max_iterations=100, tolerance=1e-7):
    """Best of a few k-means++ runs (lowest inertia), seeded for reproducible groups. The runs
    fit on a fixed sample of the points (enough to place a few centroids in a plane); every
    point then joins its nearest centroid."""
    rng = np.random.default_rng(parameters.seed + k)
    fitted = points[_sample(len(points), parameters.kmeans_sample, rng)]
    best = None
    for _ in range(parameters.kmeans_restarts):
        centroids = _kmeans_plus_plus(fitted, k, rng)
        for _ in range(max_iterations):
            labels, distances = _nearest(fitted, centroids)
            sizes = np.bincount(labels, minlength=k)
            moved = centroids.copy()
            for axis in range(points.shape[1]):
                sums = np.bincount(labels, fitted[:, axis], k)
                moved[:, axis] = np.where(
                    sizes > 0, sums / np.maximum(sizes, 1), centroids[:, axis]
                )
            for empty in np.flatnonzero(sizes == 0):
                # An emptied cluster restarts on the point farthest from its centroid.
                moved[empty] = fitted[distances.argmax()]
            shift = ((moved - centroids) ** 2).sum()
            centroids = moved
            if shift <= tolerance * max(float((centroids**2).sum()), 1e-12):
                break
        inertia = _nearest(fitted, centroids)[1].sum()
        if best is None or inertia < best[0]:
            best = (inertia, centroids)
    return _nearest(points, best[1])[0], best[1]


def _nearest(points, centroids):
    """Index of each point's nearest centroid and the squared distance to it."""
    squared = (centroids**2).sum(axis=1)[None, :] - 2 * points @ centroids.T
    labels = squared.argmin(axis=1)
    nearest = squared[np.arange(len(points)), labels] + (points**2).sum(axis=1)
    return labels, np.maximum(nearest, 0)


def _kmeans_plus_plus(points, k, rng):
    centroids = [points[rng.integers(len(points))]]
    closest = ((points - centroids[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = closest.sum()
        index = (
            rng.choice(len(points), p=closest / total) if total > 0 else rng.integers(len(points))
        )
        centroids.append(points[index])
        closest = np.minimum(closest, ((points - points[index]) ** 2).sum(axis=1))
    return np.array(centroids, dtype=np.float64)


def _silhouette(distances, labels, k):
    """Mean silhouette (Rousseeuw 1987) from the points' pairwise distances: how much closer
    each point is to its own group than to the nearest other group, from -1 to 1."""
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    if (sizes > 0).sum() < 2:
        return -1.0
    one_hot = np.eye(k)[labels]
    sums = distances @ one_hot
    own_size = sizes[labels]
    rows = np.arange(len(labels))
    own = sums[rows, labels] / np.maximum(own_size - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_to = sums / sizes
    mean_to[rows, labels] = np.inf
    mean_to[:, sizes == 0] = np.inf
    nearest = mean_to.min(axis=1)
    scale = np.maximum(own, nearest)
    scores = np.where(
        (own_size > 1) & (scale > 0), (nearest - own) / np.where(scale > 0, scale, 1), 0
    )
    return float(scores.mean())


def _choose_k(silhouette_by_k, previous_k, margin):
    best = max(silhouette_by_k, key=lambda k: (silhouette_by_k[k], -k))
    # Hysteresis: the number of groups changes only for a clearly better clustering.
    if previous_k in silhouette_by_k and silhouette_by_k[best] - silhouette_by_k[previous_k] < (
        margin
    ):
        return previous_k
    return best


def _group_counts(vote_groups, columns, values, k, n_columns):
    """Agree, disagree and seen counts of each group (rows) on each proposal (columns)."""
    cells = vote_groups * n_columns + columns
    size = k * n_columns
    agree = np.bincount(cells, values == AGREE, size).reshape(k, n_columns)
    disagree = np.bincount(cells, values == DISAGREE, size).reshape(k, n_columns)
    seen = np.bincount(cells, None, size).reshape(k, n_columns)
    return agree.astype(np.int64), disagree.astype(np.int64), seen.astype(np.int64)


def _opinion_profiles(agree, disagree, seen):
    """Each group's mean vote per proposal (0 where unseen)."""
    return np.where(seen > 0, (agree - disagree) / np.maximum(seen, 1), 0.0)


def _numbers(agree, disagree, seen, proposal_ids, previous, sizes):
    """Stable group numbers: each new group takes the number of the previous group whose votes
    it resembles most (cosine of the mean votes on the proposals both saw), found by the best
    one-to-one assignment; other groups take the smallest free numbers, larger groups first.

    Matching on votes per proposal, not on positions, survives the rotation of the principal
    axes between runs and needs no record of who was in which group."""
    k = agree.shape[0]
    profiles = _opinion_profiles(agree, disagree, seen)
    similarity = np.zeros((k, len(previous)))
    for h, old in enumerate(previous):
        common, new_index, old_index = np.intersect1d(
            proposal_ids, old.proposal_ids, assume_unique=True, return_indices=True
        )
        if not common.size:
            continue
        old_profile = _opinion_profiles(old.agree, old.disagree, old.seen)[old_index]
        both_seen = (old.seen[old_index] > 0)[None, :] & (seen[:, new_index] > 0)
        new_profiles = np.where(both_seen, profiles[:, new_index], 0.0)
        old_profiles = np.where(both_seen, old_profile[None, :], 0.0)
        norms = np.linalg.norm(new_profiles, axis=1) * np.linalg.norm(old_profiles, axis=1)
        dots = (new_profiles * old_profiles).sum(axis=1)
        similarity[:, h] = np.where(norms > 0, dots / np.where(norms > 0, norms, 1), 0.0)
    numbers = [None] * k
    if previous:
        pairs = min(k, len(previous))
        best, best_total = (), -np.inf
        # At most max_groups! assignments (120 for 5 groups): exhaustive search is exact.
        for new_groups in itertools.permutations(range(k), pairs):
            for old_groups in itertools.combinations(range(len(previous)), pairs):
                total = similarity[list(new_groups), list(old_groups)].sum()
                if total > best_total:
                    best, best_total = tuple(zip(new_groups, old_groups, strict=True)), total
        for g, h in best:
            if similarity[g, h] > 0:
                numbers[g] = previous[h].number
    taken = {number for number in numbers if number is not None}
    free = (number for number in itertools.count(1) if number not in taken)
    for g in sorted(range(k), key=lambda g: (-sizes[g], g)):
        if numbers[g] is None:
            numbers[g] = next(free)
    return numbers


def _add_representatives(groups, proposal_ids, parameters):
    """Pol.is-style representative proposals: where a group agrees (or disagrees) clearly more
    than everyone else. rate = smoothed rate in the group, ratio = rate / smoothed rate among
    the other participants; kept when the group has seen the proposal enough, most of the
    group goes that way and more than the rest; ranked by rate × ratio."""
    agree = np.array([group.agree for group in groups])
    disagree = np.array([group.disagree for group in groups])
    seen = np.array([group.seen for group in groups])
    for g, group in enumerate(groups):
        rest_seen = seen.sum(axis=0) - seen[g]
        candidates = []
        for direction, counts in ((DIRECTION_AGREE, agree), (DIRECTION_DISAGREE, disagree)):
            rate = laplace_rate(counts[g], seen[g])
            ratio = rate / laplace_rate(counts.sum(axis=0) - counts[g], rest_seen)
            keep = (seen[g] >= parameters.min_group_votes) & (rate > 0.5) & (ratio > 1)
            for j in np.flatnonzero(keep):
                candidates.append((rate[j] * ratio[j], j, direction, rate[j], ratio[j]))
        candidates.sort(key=lambda item: (-item[0], proposal_ids[item[1]]))
        chosen = set()
        for _score, j, direction, rate, ratio in candidates:
            if j in chosen:
                continue
            chosen.add(j)
            group.representatives.append(
                Representative(int(proposal_ids[j]), direction, float(rate), float(ratio))
            )
            if len(chosen) == parameters.representative_count:
                break
