#ifndef SCHEDSIM_CPROCESSCONTROL_H
#define SCHEDSIM_CPROCESSCONTROL_H

/// Asks the kernel to send `signal` to this process when its parent exits
/// (Linux prctl(PR_SET_PDEATHSIG)); returns 0 on success, -1 where unsupported.
/// A C shim because prctl is variadic, which Swift cannot call.
int schedsim_set_parent_death_signal(int signal);

#endif
