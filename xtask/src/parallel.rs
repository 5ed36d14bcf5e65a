//! Work that `cargo xtask gen` spreads over the cores: regenerating a family after an edit is the
//! wait a user sees.

/// A piece of work, which any thread may take.
pub type Task<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `tasks` on as many threads as there are cores, each taking the next task not yet taken;
/// the results in the order of the tasks.
pub fn on_every_core<T: Send>(tasks: Vec<Task<'_, T>>) -> Vec<T> {
    let count = tasks.len();
    let queue = std::sync::Mutex::new(tasks.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(|p| p.into_inner()).next();
    let work = || {
        let mut done = Vec::new();
        while let Some((index, task)) = next() {
            done.push((index, task()));
        }
        done
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(count);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = work();
        for other in others {
            // A task's panic goes on as it was, as if the task had run on this thread.
            results.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}
