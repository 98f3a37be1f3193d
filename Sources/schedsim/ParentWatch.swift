#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation

/// The children of `schedsim run` must not outlive it: a SIGKILL of `run` cannot be
/// caught, so its scheduler and workers used to keep running (issue 18). `run` puts
/// its own pid in `SCHEDSIM_PARENT_PID`; a child that finds it asks the kernel for
/// SIGKILL when its parent dies (Linux `PR_SET_PDEATHSIG`), or, where that is not
/// available, polls its parent id. A child whose parent is already gone (it died
/// between the fork and this call) exits at once.
enum ParentWatch {
    static let variable = "SCHEDSIM_PARENT_PID"

    /// Call first thing in `scheduler` and `worker`; does nothing unless `run` started us.
    static func start() {
        guard let text = getenv(variable), let parent = pid_t(String(cString: text)), parent > 1 else { return }
        let armed = schedsim_set_parent_death_signal(SIGKILL) == 0
        if getppid() != parent { exit(70) }
        guard !armed else { return }
        Thread.detachNewThread {
            while getppid() == parent { usleep(200_000) }
            exit(70)
        }
    }
}
