print("schedsim")
