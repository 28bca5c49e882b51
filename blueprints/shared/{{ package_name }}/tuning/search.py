"""The search: trials drawn from hpo.space and run one after another, each a run of
train.py in this process, until the study holds hpo.n_trials (over every worker on its
storage) or hpo.timeout_s has passed.

How a trial ends, and what the search does then:
- it trains to the end: COMPLETE, its value is the best epoch's hpo.metric;
- the pruner stops it after an epoch: PRUNED;
- it fails while training (a loss gone to nan, out of memory, a crash): FAILED, with
  the error; the search goes on with the next trial;
- it is refused before it trains (a value the config or the data refuses, a metric the
  run does not log): the search stops with that one line (exit 2): every other trial
  would be refused alike;
- Ctrl-C or SIGTERM: FAILED, the search stops (exit 130/143); the same command resumes.
n_trials counts as budget.py says.
"""

import os
import socket
import sys
import traceback
import warnings

import optuna

from ..config.compose import compose
from ..errors import UserError
from ..records.record import EXIT_CODES, received
from ..training import train
from .budget import counted, done
from .pruning import Pruning
from .space import suggest
from .storage import sampler
from .study import open_study
from .summary import write_summary
from .trial_record import forget_run, note_trial, started_run


def run_search(search) -> None:
    """Run the search (or, with --summary, rewrite its summary), then summarise it."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # it says so below, its way
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    study = open_study(search, create=not search.summary_only)
    if search.summary_only:
        return print(f"summary: {write_summary(study, search)}")
    refused: list[UserError] = []
    if not done(study, search):
        print(f"search: {search.folder} (study {search.study})")
        try:
            study.optimize(
                lambda trial: objective(trial, search, refused),
                timeout=search.hpo.timeout_s,
                callbacks=[lambda study, _: done(study, search) and study.stop()],
                catch=(Exception,),
                gc_after_trial=True,
            )
        except KeyboardInterrupt:
            write_summary(study, search)
            code = EXIT_CODES[received[-1]] if received else 130
            print(
                f"search interrupted; its trial is marked failed. The same command"
                f" resumes it: {' '.join(['python', *sys.argv])}",
                file=sys.stderr,
            )
            raise SystemExit(code) from None
    else:
        held, asked = counted(study), search.hpo.n_trials
        print(
            f"study {search.study} holds {held} trials (hpo.n_trials={asked}): raise"
            f" hpo.n_trials above {held} to run more"
        )
    print(f"summary: {write_summary(study, search)}")
    if refused:
        raise refused[0]


def objective(trial: optuna.Trial, search, refused: list) -> float:
    """One trial: its values drawn, its run trained, its end told to optuna."""
    hpo = search.hpo
    if counted(trial.study, before=trial.number) >= hpo.n_trials:
        # two workers saw n_trials - 1 at once: the later trial gives way, not run
        trial.set_user_attr("stopped", "not run: the study held hpo.n_trials already")
        trial.study.stop()
        raise optuna.TrialPruned("the study held hpo.n_trials already")
    trial.study.sampler = sampler(hpo.sampler, trial.number)
    values = suggest(trial, search.space)
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    print(f"trial {trial.number}: {' '.join(values)}", flush=True)
    forget_run()
    pruning, ended = Pruning(trial, hpo.metric, hpo.direction), None
    try:
        train(
            compose([*search.args, *values, f"output_dir={search.folder}"]), [pruning]
        )
        if pruning.best is None:
            pruning.refusal = UserError(
                f"hpo.metric={hpo.metric}: no epoch was validated; set"
                " trainer.limit_val_batches above 0"
            )
            raise pruning.refusal
    except optuna.TrialPruned as pruned:
        ended = "pruned"
        print(f"trial {trial.number} pruned {pruned}", flush=True)
        raise
    except UserError as error:
        if started_run() is None or error is pruning.refusal:
            trial.set_user_attr("stopped", f"refused: {error}")
            refused.append(error)
            trial.study.stop()
        else:
            trial.set_user_attr("error", f"UserError: {error}")
            print(f"trial {trial.number} failed: {error}; the search goes on")
        raise
    except (KeyboardInterrupt, SystemExit):  # train.py's exit after a signal
        trial.set_user_attr("stopped", "interrupted")
        raise KeyboardInterrupt from None
    except Exception as error:
        trial.set_user_attr("error", f"{type(error).__name__}: {error}")
        traceback.print_exc()
        print(f"trial {trial.number} failed: {error!r}; the search goes on")
        raise
    finally:
        note_trial(trial, ended)
    print(f"trial {trial.number}: {hpo.metric} {pruning.best:.4f}", flush=True)
    return pruning.best
